/**
 * Builds zoo architectures as {@link io.lac4j.nn.Graph}s and infers arch, width and classes from a
 * state_dict's shapes when {@code --arch auto}. Entry points: {@link io.lac4j.models.ModelZoo#build},
 * {@link io.lac4j.models.ArchInference#infer}, {@link io.lac4j.models.ModelSpec}, {@link
 * io.lac4j.models.Arch}; builders {@link io.lac4j.models.ResNets}, {@link io.lac4j.models.Vgg}, {@link
 * io.lac4j.models.MobileNetV2}, {@link io.lac4j.models.AlexNet}.
 *
 * <p>Mirrors PyTorch state_dict names exactly: torchvision's resnet18/34/50, vgg16(_bn) and
 * mobilenet_v2, and the CIFAR nets of Qu-ANTI-zation ({@code networks/}: ResNet18, VGG16(_BN),
 * MobileNetV2, AlexNet) as used by CompArtifact, EFRAP and LAC. Nodes are added in torch.fx trace
 * order, one node per leaf module (named by its module path) or functional call, so every Conv2d and
 * Linear reads a node whose output a quantizer can follow (LAC.md §6.1). Golden logits come from the
 * PyTorch mirrors in {@code tools/fixtures/zoo_torch.py}.
 *
 * <p>May depend on: nn, io. Never reads files, never prints.
 */
package io.lac4j.models;
