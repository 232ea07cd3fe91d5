/**
 * Defenses as plug-ins: the {@link io.lac4j.defense.Defense} interface, the registry by config name
 * ({@link io.lac4j.defense.Defenses}), and what the run skeleton hands a defense
 * ({@link io.lac4j.defense.DefenseContext}, {@link io.lac4j.defense.DefenseOptions}) and gets back
 * ({@link io.lac4j.defense.Defended}). A PTQ defense ({@link io.lac4j.defense.PtqDefense}) is a
 * quantizer transform + a weight-rounding strategy + PDA settings: naive, minmax, adaround, lac,
 * lac+pda, lac-act, efrap, and purify's "LAC as configured". Defenses that change the FP model
 * before quantizing it are their own classes: {@link io.lac4j.defense.FineTuning} (FT on the clean
 * calibration images) and {@link io.lac4j.defense.FinePruning} (Liu et al. 2018, with
 * {@link io.lac4j.defense.ChannelPruning}). {@link io.lac4j.defense.InvertedTriggerLac} ({@code lac-inv})
 * stamps the calibration images with the scan's inverted per-class patterns before lac-act's
 * reconstruction. {@link io.lac4j.defense.QuantAwareDistillation} ({@code qad}) trains the weights of the
 * deployment's quantized model to follow the FP model on images stamped with the scan's strongest refined
 * pattern (and the runner-up's when close). {@link io.lac4j.defense.ResetDistillation} ({@code qad-reset})
 * resets the last stage ({@link io.lac4j.defense.LastStageReset}) and distils the FP model back into it, with no
 * trigger search; both distil through {@link io.lac4j.defense.Distillation}, qad-reset with its frozen layers and the
 * teacher computed once per augmentation view ({@link io.lac4j.defense.FrozenPrefixCache}). Its
 * {@code qad-reset-regrid} variant first moves the frozen layers off the deployment's activation grid: EMA-MinMax
 * ranges and BatchNorm statistics measured through the quantized layers ({@link io.lac4j.defense.BatchNormStatistics},
 * which also measures the reset stage's). A new defense is one class here plus one registration line
 * in {@code Defenses}; {@code defend}, {@code compare} and their help texts pick it up.
 * <p>May depend on: ptq, scan, training, quant, nn, data, eval, optim, engine (not attack, not
 * pipeline). Never reads files, never prints.
 */
package io.lac4j.defense;
