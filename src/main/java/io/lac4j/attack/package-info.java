/**
 * QCB attacks that train backdoored checkpoints (Qu-ANTI-zation, PQBackdoor, CompArtifact, BadNets)
 * on the training loop of {@code io.lac4j.training}; an {@link io.lac4j.training.Objective} is what
 * differs per attack:
 * {@link io.lac4j.training.CleanObjective} (clean training, BadNets),
 * {@link io.lac4j.attack.QuAntiZationObjective} (with an optional
 * {@link io.lac4j.attack.ExtraQuantizer} for an MQBench preset under one or several activation grids, and
 * {@link io.lac4j.attack.DefenderSimulation}, the defense-aware term: a short LAC purification of the
 * current weights whose corrected model the backdoor is trained into too),
 * {@link io.lac4j.attack.PqRepairObjective} with {@link io.lac4j.attack.PqProjection}, and
 * {@link io.lac4j.attack.CompArtifactObjective}. Each attack's own quantizer is a
 * {@link io.lac4j.attack.SimulatedQuantizer} switched on around every conv/linear by
 * {@link io.lac4j.attack.QuantHooks}, so FP and quantized passes share the weights.
 *
 * <p>Mirrors: Qu-ANTI-zation's {@code backdoor_w_lossfn}, CompArtifact's patched QAT modules,
 * PQBackdoor's {@code pytorch/} stage-1/stage-2 scripts.
 *
 * <p>May depend on: training, ptq (the defense-aware attack runs LAC's reconstruction), quant, nn, data, optim,
 * engine. Never reads files, never prints; the files of a run
 * (weights, manifest, log, resume state) are written by {@code pipeline.Training}.
 */
package io.lac4j.attack;
