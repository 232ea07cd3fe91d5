package io.lac4j.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.lac4j.InputException;
import io.lac4j.io.StateDict;
import io.lac4j.io.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.lac4j.nn.Graph;

/**
 * Copies a {@link StateDict} into a {@link Graph} with PyTorch's {@code load_state_dict}
 * semantics. Non-strict (the reference's {@code strict=False}) ignores missing/unexpected keys
 * but reports them; strict refuses them. Shape mismatches always fail (PyTorch does too), and so
 * does a load that matched no key at all (a silently random model, LAC.md Q16).
 */
public final class CheckpointLoader {
    private static final int MAX_MISFITS_SHOWN = 12;

    private CheckpointLoader() {}

    public static LoadReport load(Graph graph, StateDict sd, boolean strict, String source, String archDescription) {
        Map<String, NDArray> model = graph.stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String key : model.keySet()) {
            if (!sd.contains(key)) {
                missing.add(key);
            }
        }
        for (String key : sd.keys()) {
            if (!model.containsKey(key)) {
                unexpected.add(key);
            }
        }
        List<String> misfits = new ArrayList<>();
        for (String key : sd.keys()) {
            NDArray target = model.get(key);
            if (target == null) {
                continue;
            }
            long[] want = target.getShape().getShape();
            long[] got = sd.get(key).shape();
            boolean scalarCounter = want.length == 0 && got.length == 0;
            if (!scalarCounter && !Arrays.equals(want, got)) {
                misfits.add("key '" + key + "': expected shape " + Arrays.toString(want) + ", got " + Arrays.toString(got));
            }
        }
        if (!misfits.isEmpty()) {
            int shown = Math.min(misfits.size(), MAX_MISFITS_SHOWN);
            throw new InputException(source + ": " + (misfits.size() == 1 ? "" : misfits.size() + " keys do not fit "
                    + archDescription + ": ") + String.join("; ", misfits.subList(0, shown))
                    + (shown < misfits.size() ? "; … (" + (misfits.size() - shown) + " more)" : "")
                    + (misfits.size() == 1 ? " (" + archDescription + ")" : "") + "; check --arch / model.type");
        }
        int matched = model.size() - missing.size();
        if (matched == 0) {
            throw new InputException(source + ": no key matched " + archDescription + " (checkpoint keys start with "
                    + sd.keys().stream().limit(3).toList() + ", the model's with " + model.keySet().stream().limit(3).toList()
                    + "); check --arch / model.type");
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new InputException(source + ": strict load into " + archDescription + ": "
                    + new LoadReport(matched, missing, unexpected).describe());
        }
        NDManager m = graph.manager();
        for (String key : sd.keys()) {
            NDArray target = model.get(key);
            if (target != null) {
                graph.assign(key, toNDArray(sd.get(key), target.getDataType(), m));
            }
        }
        return new LoadReport(matched, missing, unexpected);
    }

    /** A tensor as an NDArray of {@code type} in {@code m}. */
    public static NDArray toNDArray(TensorData t, DataType type, NDManager m) {
        Shape shape = new Shape(t.shape());
        if (type == DataType.INT64) {
            return m.create(t.toLongArray(), shape);
        }
        return m.create(t.toFloatArray(), shape);
    }

    /** The graph's tensors as a StateDict (float32 / int64), in trace order, for writing. */
    public static StateDict toStateDict(Graph graph) {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : graph.stateDict().entrySet()) {
            NDArray a = e.getValue();
            long[] shape = a.getShape().getShape();
            out.put(e.getKey(), a.getDataType() == DataType.INT64
                    ? TensorData.ofLongs(a.toLongArray(), shape)
                    : TensorData.ofFloats(a.toType(DataType.FLOAT32, false).toFloatArray(), shape));
        }
        return StateDict.of(out);
    }
}
