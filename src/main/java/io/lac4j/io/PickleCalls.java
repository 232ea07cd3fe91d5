package io.lac4j.io;

import io.lac4j.io.PickleAllowList.Function;
import io.lac4j.io.PickleAllowList.StorageClass;
import io.lac4j.io.Unpickler.PendingTensor;
import io.lac4j.io.Unpickler.Refusal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Unpickler}'s GLOBAL, REDUCE and BUILD opcodes may do: resolve a global only through
 * {@link PickleAllowList}, call only the allow-listed constructors implemented here (tensor and
 * parameter rebuilds, OrderedDict, torch.Size, numpy scalars and dtypes), and accept BUILD state
 * only where it carries nothing lac4j uses. Everything else is a {@link Refusal}.
 */
final class PickleCalls {
    private final PickleStack s;
    private final TensorRebuild.Budget budget;
    private final Set<Object> orderedDicts = Collections.newSetFromMap(new IdentityHashMap<>());

    PickleCalls(PickleStack s, TensorRebuild.Budget budget) {
        this.s = s;
        this.budget = budget;
    }

    static Object global(String module, String name) {
        Object resolved = PickleAllowList.resolve(module, name);
        if (resolved == null) {
            String qualified =
                    PickleValues.abbreviate(module) + "." + PickleValues.abbreviate(name);
            if ((module.equals("torch") || module.equals("torch.cuda"))
                    && name.endsWith("Storage")) {
                throw new Refusal(
                        "unsupported storage type '"
                                + qualified
                                + "'; expected a storage of "
                                + Arrays.toString(DType.values()));
            }
            throw new Refusal(
                    "refusing global '"
                            + qualified
                            + "'; "
                            + PickleAllowList.SUMMARY
                            + (looksLikeModel(module)
                                    ? " (a whole pickled model? save model.state_dict() instead)"
                                    : ""));
        }
        return resolved;
    }

    private static boolean looksLikeModel(String module) {
        return module.startsWith("torch.nn.")
                || module.startsWith("torchvision.")
                || module.equals("__main__")
                || module.startsWith("models.")
                || module.startsWith("timm.");
    }

    Object reduce(Object callable, Object argsObj) {
        if (!(callable instanceof Function)) {
            throw new Refusal(
                    "refusing REDUCE on "
                            + describeGlobal(callable)
                            + "; "
                            + PickleAllowList.SUMMARY);
        }
        if (!PickleValues.isTuple(argsObj)) {
            throw new Refusal(
                    "REDUCE arguments must be a tuple, got " + PickleValues.typeName(argsObj));
        }
        List<?> args = (List<?>) argsObj;
        Function f = (Function) callable;
        switch (f) {
            case REBUILD_TENSOR_V2:
                return TensorRebuild.rebuild("_rebuild_tensor_v2", args, 6, 7, budget);
            case REBUILD_TENSOR:
                return TensorRebuild.rebuild("_rebuild_tensor", args, 4, 4, budget);
            case REBUILD_PARAMETER:
            case REBUILD_PARAMETER_WITH_STATE:
                if (args.isEmpty()) {
                    throw new Refusal(
                            "_rebuild_parameter expects the tensor first, got no arguments");
                }
                Object data = args.get(0);
                if (!(data instanceof TensorData || data instanceof PendingTensor)) {
                    throw new Refusal(
                            "_rebuild_parameter expects a tensor, got "
                                    + PickleValues.typeName(data));
                }
                return data;
            case ORDERED_DICT:
                {
                    Map<Object, Object> map = s.container(new LinkedHashMap<>());
                    orderedDicts.add(map);
                    if (!args.isEmpty() && args.get(0) instanceof List) {
                        for (Object pair : (List<?>) args.get(0)) {
                            if (!(pair instanceof List) || ((List<?>) pair).size() != 2) {
                                throw new Refusal("OrderedDict items must be (key, value) pairs");
                            }
                            s.setItems(map, new ArrayList<>((List<?>) pair));
                        }
                    }
                    return map;
                }
            case TORCH_SIZE:
                if (args.size() != 1 || !(args.get(0) instanceof List)) {
                    throw new Refusal("torch.Size expects one tuple of ints");
                }
                return s.tupleOf(new ArrayList<>((List<?>) args.get(0)));
            case CODECS_ENCODE:
                return Numpy.encode(args);
            case NUMPY_DTYPE:
                return Numpy.dtype(args);
            case NUMPY_SCALAR:
                return Numpy.scalar(args);
            default:
                throw new IllegalStateException(f.name());
        }
    }

    void build(Object obj, Object state) {
        if (obj instanceof Map && orderedDicts.contains(obj)) {
            // OrderedDict attributes such as a state_dict's _metadata (module versions): dropped
            return;
        }
        if (obj instanceof TensorData || obj instanceof PendingTensor) {
            // tensor attributes set by BUILD (e.g. a Parameter's __dict__): no data we use
            return;
        }
        if (obj instanceof Numpy.DTypeSpec) {
            ((Numpy.DTypeSpec) obj).setState(state);
            return;
        }
        throw new Refusal(
                "refusing BUILD on " + describeGlobal(obj) + "; " + PickleAllowList.SUMMARY);
    }

    private static String describeGlobal(Object o) {
        if (o instanceof StorageClass) {
            return "'" + ((StorageClass) o).name() + "'";
        } else if (o instanceof DType) {
            return "'torch." + o + "'";
        }
        return PickleValues.typeName(o);
    }
}
