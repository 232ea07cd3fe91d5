/**
 * Reads and writes checkpoints as a {@link io.lac4j.io.StateDict} with PyTorch keys; refuses pickle
 * globals not on the allow-list. Entry points: {@link io.lac4j.io.Checkpoints#read} (detects zip
 * {@code .pth}, legacy {@code .pth} and safetensors), {@link io.lac4j.io.PthWriter}, {@link
 * io.lac4j.io.SafetensorsWriter}; tensors are plain-Java {@link io.lac4j.io.TensorData}.
 *
 * <p>Mirrors PyTorch's {@code torch/serialization.py} (zip records {@code <folder>/data.pkl},
 * {@code data/<key>}, {@code byteorder}; the legacy magic/protocol/sys_info stream) and {@code
 * torch._utils._rebuild_tensor_v2}, and the safetensors format. Pickles are read by our own small
 * {@code Unpickler} (protocols 2 to 5), not Pyrolite: the {@code pyrolite:5.1} jar in pom.xml is
 * the Pyro5 client and no longer contains {@code net.razorvine.pickle}, and that library's
 * Unpickler turns unknown globals into placeholder {@code ClassDict}s instead of refusing them and
 * gives no byte offsets. Here the allow-list ({@link io.lac4j.io.PickleAllowList}) is the only way
 * a name becomes a value, REDUCE and BUILD act only on allow-listed constructors implemented in
 * Java, and every length, shape, stride, offset, nesting level, stack, memo and tensor-expansion
 * size is checked before anything is allocated.
 *
 * <p>Also the two file helpers every layer writes through: {@link io.lac4j.io.AtomicFile} (temporary
 * sibling, then a rename) and {@link io.lac4j.io.Json} (the snake_case mapper of lac4j's JSON files).
 *
 * <p>May depend on: engine, Jackson (and uses no NDArray: {@code nn} converts). Never runs code from a
 * checkpoint; every bad file is an {@link io.lac4j.InputException} naming file, part and offset.
 */
package io.lac4j.io;
