package io.lac4j.defense;

import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.QuantizedModel;
import java.util.List;

/**
 * What a defense hands back: the defended quantized model and, for reconstructing defenses, one
 * report per unit (empty otherwise).
 */
public record Defended(QuantizedModel model, List<UnitReport> units) {
    public Defended {
        if (model == null) {
            throw new IllegalArgumentException("a defended model is required");
        }
        units = List.copyOf(units);
    }

    public static Defended of(QuantizedModel model) {
        return new Defended(model, List.of());
    }
}
