package io.lac4j.io;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The only Python globals a checkpoint pickle may name. Everything here is a data constructor that
 * {@link Unpickler} implements itself in Java; nothing is ever looked up by name or run.
 *
 * <p>Allowed: PyTorch's tensor and parameter rebuild functions, typed and untyped storage classes
 * (used as storage tags in persistent ids), dtypes ({@code torch.float32}), {@code torch.Size},
 * {@code collections.OrderedDict}, {@code _codecs.encode} (how protocol 2 pickles {@code bytes}),
 * and NumPy's {@code scalar}/{@code dtype} pair, because training scripts often store {@code
 * best_acc} as a NumPy float; the Java side decodes only fixed-size numeric scalars from their raw
 * bytes.
 */
public final class PickleAllowList {
    private PickleAllowList() {}

    /** Allow-listed callables, each implemented in Java by {@link Unpickler}. */
    enum Function {
        REBUILD_TENSOR_V2,
        REBUILD_TENSOR,
        REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE,
        ORDERED_DICT,
        TORCH_SIZE,
        CODECS_ENCODE,
        NUMPY_SCALAR,
        NUMPY_DTYPE
    }

    /**
     * A storage class named in a persistent id; {@code dtype} is null for untyped (byte) storage.
     */
    record StorageClass(String name, DType dtype) {}

    private static final Map<String, Object> GLOBALS = build();

    private static Map<String, Object> build() {
        Map<String, Object> m = new TreeMap<>();
        m.put("torch._utils._rebuild_tensor_v2", Function.REBUILD_TENSOR_V2);
        m.put("torch._utils._rebuild_tensor", Function.REBUILD_TENSOR);
        m.put("torch._utils._rebuild_parameter", Function.REBUILD_PARAMETER);
        m.put("torch._utils._rebuild_parameter_with_state", Function.REBUILD_PARAMETER_WITH_STATE);
        m.put("collections.OrderedDict", Function.ORDERED_DICT);
        m.put("torch.Size", Function.TORCH_SIZE);
        m.put("_codecs.encode", Function.CODECS_ENCODE);
        m.put("numpy.core.multiarray.scalar", Function.NUMPY_SCALAR);
        m.put("numpy._core.multiarray.scalar", Function.NUMPY_SCALAR);
        m.put("numpy.dtype", Function.NUMPY_DTYPE);
        for (DType d : DType.values()) {
            for (String module : new String[] {"torch", "torch.cuda"}) {
                String name = module + "." + d.storageClass();
                m.put(name, new StorageClass(name, d));
            }
            m.put("torch." + d.torchName(), d);
        }
        for (String name : new String[] {"torch.UntypedStorage", "torch.storage.UntypedStorage"}) {
            m.put(name, new StorageClass(name, null));
        }
        return Collections.unmodifiableMap(m);
    }

    /** What {@code module.name} stands for, or null if it is not allowed. */
    static Object resolve(String module, String name) {
        return GLOBALS.get(module + "." + name);
    }

    /** Every allowed global as {@code module.name}, sorted. */
    public static Set<String> globals() {
        return GLOBALS.keySet();
    }

    /** The short summary used in refusal messages. */
    static final String SUMMARY = "only tensor rebuilds, storages, OrderedDict allowed";
}
