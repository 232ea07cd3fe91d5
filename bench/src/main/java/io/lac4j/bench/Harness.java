package io.lac4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.pipeline.LoadedModel;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.pipeline.Pipeline;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock harness, the lac4j side of {@code bench/run}. Each measured repetition prints one line
 *
 * <pre>RESULT	lac4j	&lt;metric&gt;	&lt;rep&gt;	&lt;value&gt;	&lt;unit&gt;</pre>
 *
 * which {@code bench/pytorch/summarize.py} turns into medians, min/max and lac4j/PyTorch ratios.
 * The PyTorch side ({@code bench/pytorch/bench_torch.py}) prints the same lines with {@code torch}.
 *
 * <pre>
 * java -Dlac4j.threads=2 -cp target/classes:target/lib/* io.lac4j.bench.Harness fp-throughput \
 *      --checkpoint M.pth --channels 3 --size 32 [--batch 128 --iters 1 --warmup 2 --reps 5 --label w64]
 * java ... Harness calibration --checkpoint M.pth --data DIR [--batches 32 --cali-batch 32 --reps 5 --warmup 1]
 * </pre>
 *
 * No assertions on time here or anywhere (STYLE.md §6.8): this prints numbers.
 */
public final class Harness {
    private Harness() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Harness fp-throughput|calibration --checkpoint M.pth ...");
            System.exit(2);
        }
        Map<String, String> opt = options(args);
        int threads = Integer.getInteger("lac4j.threads", 2);
        Engines.start(threads);
        System.out.println("# lac4j harness: threads=" + threads + " torch(native)=" + Engines.torchVersion());
        switch (args[0]) {
            case "fp-throughput" -> fpThroughput(opt);
            case "calibration" -> calibration(opt);
            default -> {
                System.err.println("unknown benchmark: " + args[0]);
                System.exit(2);
            }
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    static int intOpt(Map<String, String> o, String k, int def) {
        return o.containsKey(k) ? Integer.parseInt(o.get(k)) : def;
    }

    static void result(String metric, int rep, double value, String unit) {
        System.out.printf("RESULT\tlac4j\t%s\t%d\t%.6f\t%s%n", metric, rep, value, unit);
        System.out.flush();
    }

    /** FP forward throughput: {@code iters} forwards of one batch per repetition, images/s. */
    static void fpThroughput(Map<String, String> o) {
        Path ckpt = Path.of(o.get("checkpoint"));
        int batch = intOpt(o, "batch", 128);
        int channels = intOpt(o, "channels", 3);
        int size = intOpt(o, "size", 32);
        int iters = intOpt(o, "iters", 1);
        int warmup = intOpt(o, "warmup", 2);
        int reps = intOpt(o, "reps", 5);
        String label = o.getOrDefault("label", "fp");
        try (NDManager root = Engines.newBaseManager();
                LoadedModel m = Pipeline.loadModel(ModelSource.of(ckpt, "resnet18-cifar"), root)) {
            Graph g = m.graph();
            g.setTraining(false);
            NDArray x = root.randomNormal(new Shape(batch, channels, size, size));
            for (int r = -warmup; r < reps; r++) {
                long t0 = System.nanoTime();
                float sink = 0;
                for (int i = 0; i < iters; i++) {
                    try (NDManager step = root.newSubManager()) {
                        step.tempAttachAll(x);
                        sink += g.forward(x).getFloat(0, 0); // forces the result (synchronous anyway)
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (r >= 0) {
                    result(label + "_images_per_s", r, (double) batch * iters / s, "img/s");
                }
                if (Float.isNaN(sink)) {
                    System.out.println("# NaN output");
                }
            }
        }
    }

    /**
     * LAC.md §7 calibration with academic W4A4 (fresh prepare each repetition, not timed), then
     * quantized evaluation throughput. Data: {@code cali.f32} [batches·caliBatch, C, H, W] and
     * {@code eval.f32} [evalBatch, C, H, W] written by {@code bench_torch.py make-data}.
     */
    static void calibration(Map<String, String> o) throws IOException {
        Path ckpt = Path.of(o.get("checkpoint"));
        Path data = Path.of(o.get("data"));
        int batches = intOpt(o, "batches", 32);
        int caliBatch = intOpt(o, "cali-batch", 32);
        int evalBatch = intOpt(o, "eval-batch", 128);
        int evalIters = intOpt(o, "eval-iters", 10);
        int warmup = intOpt(o, "warmup", 1);
        int reps = intOpt(o, "reps", 5);
        int channels = intOpt(o, "channels", 1);
        int size = intOpt(o, "size", 28);
        int img = channels * size * size;
        float[] cali = readF32(data.resolve("cali.f32"));
        float[] eval = readF32(data.resolve("eval.f32"));
        try (NDManager root = Engines.newBaseManager();
                LoadedModel m = Pipeline.loadModel(ModelSource.of(ckpt, "resnet18-cifar"), root)) {
            NDArray[] cb = new NDArray[batches];
            for (int k = 0; k < batches; k++) {
                cb[k] = root.create(Arrays.copyOfRange(cali, k * caliBatch * img, (k + 1) * caliBatch * img),
                        new Shape(caliBatch, channels, size, size));
            }
            NDArray ex = root.create(Arrays.copyOf(eval, evalBatch * img), new Shape(evalBatch, channels, size, size));
            for (int r = -warmup; r < reps; r++) {
                try (NDManager run = root.newSubManager();
                        QuantizedModel qm = QuantizedModel.prepare(m.graph(), QuantPreset.ACADEMIC_W4A4.config(),
                                PrepareOptions.ACADEMIC, run)) {
                    long t0 = System.nanoTime();
                    Calibration.run(qm, batches, (k, mgr) -> {
                        mgr.tempAttachAll(cb[k]);
                        return cb[k];
                    }, run, Progress.NONE);
                    double cal = (System.nanoTime() - t0) / 1e9;
                    long t1 = System.nanoTime();
                    float sink = 0;
                    for (int i = 0; i < evalIters; i++) {
                        try (NDManager step = run.newSubManager()) {
                            step.tempAttachAll(ex);
                            sink += qm.forward(ex).getFloat(0, 0);
                        }
                    }
                    double ev = (System.nanoTime() - t1) / 1e9;
                    if (r >= 0) {
                        result("calibration_s", r, cal, "s");
                        result("quant_eval_images_per_s", r, (double) evalBatch * evalIters / ev, "img/s");
                    }
                    if (r == reps - 1 && o.containsKey("qparams-out")) {
                        writeQParams(qm, Path.of(o.get("qparams-out")));
                    }
                    if (Float.isNaN(sink)) {
                        System.out.println("# NaN output");
                    }
                }
            }
        }
    }

    /** {name: {scale: [...], zero_point: [...]}} for every observed quantizer (for exactness checks). */
    static void writeQParams(QuantizedModel qm, Path out) throws IOException {
        Map<String, FakeQuantizer> all = new LinkedHashMap<>();
        qm.weightQuantizers().forEach((k, v) -> all.put("w:" + k, v));
        qm.activationQuantizers().forEach((k, v) -> all.put("a:" + k, v));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("{");
            int i = 0;
            for (Map.Entry<String, FakeQuantizer> e : all.entrySet()) {
                QParams qp = e.getValue().qparams();
                StringBuilder sb = new StringBuilder();
                sb.append("  \"").append(e.getKey()).append("\": {\"scale\": [");
                float[] s = qp.scale();
                for (int c = 0; c < s.length; c++) {
                    sb.append(c == 0 ? "" : ", ").append(Float.toString(s[c]).replace("E", "e"));
                }
                sb.append("], \"zero_point\": ").append(Arrays.toString(qp.zeroPoint())).append('}');
                sb.append(++i < all.size() ? "," : "");
                w.println(sb);
            }
            w.println("}");
        }
    }

    static float[] readF32(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
