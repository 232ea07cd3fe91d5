package io.lac4j.defense;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fine-Pruning (Liu et al. 2018): {@link ChannelPruning} removes the last conv layer's least active
 * channels on the clean calibration images, {@link FineTuning} fine-tunes with them kept at zero,
 * then the model is quantized like the naive one.
 */
public final class FinePruning implements Defense {
    @Override
    public String name() {
        return "fine-pruning";
    }

    @Override
    public String phase() {
        return "fine_pruning";
    }

    @Override
    public String description() {
        return "Fine-Pruning: prune the last conv's least active channels, fine-tune, then naive PTQ";
    }

    @Override
    public java.util.Set<String> reads() {
        return java.util.Set.of(Defenses.EPOCHS, Defenses.PRUNE_RATIO);
    }

    @Override
    public Map<String, Object> settings(DefenseOptions options) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("epochs", options.epochsOr(FineTuning.EPOCHS));
        s.put("prune_ratio", options.pruneRatio());
        return s;
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        ChannelPruning.Pruned pruned;
        try (NDManager scope = ctx.manager().newSubManager()) {
            pruned = ChannelPruning.prune(ctx.fp(), ctx.calibration().reconstruction().batches(scope), ctx.options().pruneRatio(),
                    scope);
        }
        ctx.facts().put("pruned", Map.of("conv", pruned.conv(), "channels", pruned.channels(), "removed", pruned.indices().length));
        return FineTuning.tuneAndQuantize(ctx, pruned);
    }
}
