/**
 * Classic backdoor defenses that change the FP model before it is quantized, the baselines the
 * LAC and EFRAP papers compare with: {@link io.lac4j.defense.FineTuning} (FT on clean data) and
 * {@link io.lac4j.defense.ChannelPruning} (Fine-Pruning, Liu et al. 2018: prune the last conv
 * layer's least active channels, then fine-tune with the channels kept at zero). Training reuses
 * {@link io.lac4j.training.Trainer}.
 *
 * <p>May depend on: training, nn, data, optim, engine (not attack). Never reads files, never prints.
 */
package io.lac4j.defense;
