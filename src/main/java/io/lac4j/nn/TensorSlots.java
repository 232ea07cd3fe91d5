package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ordered named tensors of a layer with shape-checked replacement. */
final class TensorSlots {
    private final Map<String, NDArray> slots = new LinkedHashMap<>();
    private final String owner;

    TensorSlots(String owner) {
        this.owner = owner;
    }

    void put(String name, NDArray value) {
        if (value != null) {
            slots.put(name, value);
        }
    }

    NDArray get(String name) {
        return slots.get(name);
    }

    Map<String, NDArray> view() {
        return Collections.unmodifiableMap(slots);
    }

    void assign(String name, NDArray value) {
        NDArray old = slots.get(name);
        if (old == null) {
            throw new IllegalArgumentException(owner + " has no tensor '" + name + "'");
        }
        if (!old.getShape().equals(value.getShape())) {
            throw new IllegalArgumentException(
                    owner + "." + name + ": expected shape " + old.getShape() + ", got " + value.getShape());
        }
        NDArray typed = value.getDataType() == old.getDataType() ? value : value.toType(old.getDataType(), false);
        typed.attach(old.getManager());
        slots.put(name, typed);
        if (typed != old) {
            old.close();
        }
    }
}
