/**
 * The training loop attacks and defenses share: {@link io.lac4j.training.Trainer} runs the epochs
 * (seeded permutation, one backward and one {@link io.lac4j.optim.Optimizer} step per batch —
 * {@link io.lac4j.optim.Sgd} or {@link io.lac4j.optim.Adam} with PyTorch's update rules —
 * {@link io.lac4j.training.LrSchedule}, BatchNorm trained or frozen, checkpoint selection, resume
 * state) on {@link io.lac4j.training.TrainingData} with a {@link io.lac4j.training.TrainConfig};
 * an {@link io.lac4j.training.Objective} says what is minimised ({@link
 * io.lac4j.training.CleanObjective}: plain cross-entropy; the attacks bring their own), with the
 * loss helpers of {@link io.lac4j.training.Losses}.
 *
 * <p>May depend on: quant, nn, data, optim, engine. Below {@code attack} and {@code defense}, which
 * both train. Never reads files, never prints; {@code pipeline.Training} writes a run's files.
 */
package io.lac4j.training;
