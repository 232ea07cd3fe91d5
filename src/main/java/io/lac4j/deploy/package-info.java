/**
 * Deployment: a quantized model as ONNX in QDQ form on exactly the grid lac4j evaluated
 * ({@link io.lac4j.deploy.OnnxExport}; protobuf classes from Tribuo's {@code tribuo-util-onnx}),
 * and ONNX models run by ONNX Runtime ({@link io.lac4j.deploy.OnnxRuntimeModel}) so an export, or
 * any ONNX classifier a user brings, is judged in a real runtime with lac4j's own evaluators.
 * <p>May depend on: quant, nn, io, engine (and ONNX Runtime, protobuf). Writes only the file it is
 * given (atomically), never prints.
 */
package io.lac4j.deploy;
