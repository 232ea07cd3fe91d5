/**
 * QCB attacks that train backdoored checkpoints (ATTACKS.md §1–3) and the training engine they
 * share. {@link io.lac4j.attack.Trainer} runs the epochs (seeded permutation, one backward and one
 * {@link io.lac4j.optim.Optimizer} step per batch — {@link io.lac4j.optim.Sgd} or
 * {@link io.lac4j.optim.Adam} with PyTorch's update rules — {@link io.lac4j.attack.LrSchedule},
 * BatchNorm trained or frozen, checkpoint selection, resume state); an
 * {@link io.lac4j.attack.Objective} is what differs per attack:
 * {@link io.lac4j.attack.CleanObjective} (clean training, BadNets),
 * {@link io.lac4j.attack.QuAntiZationObjective} (with an optional
 * {@link io.lac4j.attack.ExtraQuantizer} for an MQBench preset),
 * {@link io.lac4j.attack.PqRepairObjective} with {@link io.lac4j.attack.PqProjection}, and
 * {@link io.lac4j.attack.CompArtifactObjective}. Each attack's own quantizer is a
 * {@link io.lac4j.attack.SimulatedQuantizer} switched on around every conv/linear by
 * {@link io.lac4j.attack.QuantHooks}, so FP and quantized passes share the weights.
 *
 * <p>Mirrors: Qu-ANTI-zation's {@code backdoor_w_lossfn}, CompArtifact's patched QAT modules,
 * PQBackdoor's {@code pytorch/} stage-1/stage-2 scripts (as re-derived in ATTACKS.md).
 *
 * <p>May depend on: quant, nn, data, engine. Never reads files, never prints; the files of a run
 * (weights, manifest, log, resume state) are written by {@code pipeline.Training}.
 */
package io.lac4j.attack;
