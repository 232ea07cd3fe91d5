/**
 * Datasets, transforms, triggers, poisoned and no-target views; batches come out in the caller's
 * NDManager.
 *
 * <p>Entry points: {@link io.lac4j.data.Datasets#open} (spec to {@link io.lac4j.data.DatasetSplits}),
 * readers {@link io.lac4j.data.FashionMnistIdx}, {@link io.lac4j.data.Cifar10Binary}, {@link
 * io.lac4j.data.TinyImageNet}, {@link io.lac4j.data.ImageFolder} (all give an {@link
 * io.lac4j.data.ImageDataset} of CHW uint8 pixels); {@link io.lac4j.data.Preprocessing} (ToTensor,
 * RandomCrop, RandomHorizontalFlip, Normalize, {@link io.lac4j.data.Trigger}); {@link
 * io.lac4j.data.DataView} (clean, poisoned, no-target) and {@link io.lac4j.data.Batcher}
 * (sequential or seeded shuffle) producing {@link io.lac4j.data.Batch}es; {@link
 * io.lac4j.data.CalibrationData} (LAC's two calibration lists).
 *
 * <p>Mirrors torchvision 0.11 transforms and datasets ({@code CIFAR10}, {@code ImageFolder}),
 * {@code QCB-LACPDA:ours/main/setting/dataset/datasets.py} and {@code tiny_1stage.py} (LAC.md §3–4,
 * ATTACKS.md §0.1). All randomness comes from generators the caller passes or seeds; no global
 * state.
 *
 * <p>May depend on: engine (and DJL). Never prints; errors about user files are {@link
 * io.lac4j.InputException}s naming the file and the {@code --data} / {@code data.path} setting.
 */
package io.lac4j.data;
