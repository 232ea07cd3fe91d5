/**
 * Ordered graph of named nodes whose tensor names are PyTorch state_dict keys; forward with taps
 * and stop points, train/eval mode, deep copy. Entry points: {@link io.lac4j.nn.Graph}, {@link
 * io.lac4j.nn.GraphBuilder}; layers {@link io.lac4j.nn.Conv2d}, {@link io.lac4j.nn.BatchNorm2d},
 * {@link io.lac4j.nn.Linear} and the stateless {@link io.lac4j.nn.Ops}.
 *
 * <p>Mirrors torch.nn semantics (Conv2d, BatchNorm2d with PyTorch's momentum, Linear, ReLU/ReLU6,
 * pools, Flatten, Dropout, residual add) and plays the role of MQBench's torch.fx trace.
 *
 * <p>May depend on: engine, DJL. Never reads files, never prints.
 */
package io.lac4j.nn;
