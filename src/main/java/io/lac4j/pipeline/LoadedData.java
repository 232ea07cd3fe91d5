package io.lac4j.pipeline;

import io.lac4j.data.DatasetSplits;
import io.lac4j.data.Trigger;
import io.lac4j.eval.EvalSets;

/** Data ready for evaluation: the splits, the trigger (null: CDA only), target and test views. */
public record LoadedData(DatasetSplits splits, Trigger trigger, String triggerName, int target, EvalSets sets, String location) {}
