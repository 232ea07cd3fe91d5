package io.lac4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's PyTorch engine offline, with a fixed number of intra-op threads and checked
 * kernels, exactly once per JVM. Everything else in lac4j is handed an {@link NDManager}; this
 * class is the only caller of {@link Engine}.
 *
 * <p>Start-up applies the {@link KernelChoice} ({@code -Dlac4j.kernels} / {@code LAC4J_KERNELS},
 * default {@code auto}, which {@link AutoKernels} turns into a start), then runs the
 * {@link EngineSelfCheck} before anything else computes. With {@code auto}, a failing oneDNN is
 * switched off and the check repeated on ATen's kernels; any
 * other failure stops the run with an {@link EngineException} naming the operation — lac4j never
 * computes with kernels that gave a wrong known answer.
 */
public final class Engines {
    private static volatile Engine engine;
    private static volatile EngineFacts facts;

    private Engines() {}

    /**
     * Starts (or returns) the PyTorch engine. Threads are fixed at the first call; later calls
     * with a different count are ignored because libtorch reads it once.
     *
     * @param threads intra-op threads, {@code <= 0} keeps libtorch's default (one per core)
     * @throws EngineException when the self-check fails and no fallback computes correctly
     */
    public static synchronized Engine start(int threads) {
        if (engine == null) {
            // DJL must never reach the network: the native library ships in pytorch-native-cpu.
            System.setProperty("ai.djl.offline", "true");
            System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
            if (threads > 0) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
            }
            KernelChoice asked = KernelChoice.configured();
            AutoKernels.Plan plan = asked == KernelChoice.AUTO ? AutoKernels.forThisMachine() : new AutoKernels.Plan(asked, "asked for");
            // oneDNN reads its ISA cap once, at its first use: it must be in the environment before libtorch computes.
            if (plan.kernels().isaCap() != null) {
                NativeTorch.setenv("ONEDNN_MAX_CPU_ISA", plan.kernels().isaCap());
            }
            Engine e = Engine.getEngine("PyTorch");
            NativeTorch.quietWarnings();
            if (!plan.kernels().usesOnednn()) {
                NativeTorch.setOnednnEnabled(false);
            }
            check(e, asked, plan);
            engine = e;
            NativeMemory.startTrimmer();
        }
        return engine;
    }

    /** The kernels a start settles on, the check that cleared them, and why {@code auto} left oneDNN (or null). */
    record Selection(KernelChoice used, String fallback, EngineSelfCheck.Result result) {}

    /**
     * Runs the self-check on {@code ops}; under {@link KernelChoice#AUTO} a failure switches oneDNN
     * off ({@code onednnOff}) and checks again. Any other choice keeps its (failed) result.
     */
    static Selection select(KernelChoice asked, KernelChoice start, EngineOps ops, Runnable onednnOff) {
        EngineSelfCheck.Result r = EngineSelfCheck.run(ops);
        if (r.ok() || asked != KernelChoice.AUTO || !start.usesOnednn()) {
            return new Selection(start, null, r);
        }
        onednnOff.run();
        return new Selection(KernelChoice.ATEN, "oneDNN failed the self-check: " + r.failure(), EngineSelfCheck.run(ops));
    }

    /** Runs the self-check, records the facts (also when it fails, for {@code doctor}), throws on failure. */
    private static void check(Engine e, KernelChoice asked, AutoKernels.Plan plan) {
        Selection sel = select(asked, plan.kernels(), new DjlEngineOps(e), () -> NativeTorch.setOnednnEnabled(false));
        KernelChoice used = sel.used();
        String fallback = sel.fallback();
        EngineSelfCheck.Result r = sel.result();
        if (fallback != null && r.ok()) {
            LoggerFactory.getLogger(Engines.class).warn(
                    "engine: {}; convolutions run on libtorch's ATen kernels instead (correct, slower; see `lac4j doctor`)", fallback);
        }
        Optional<String> config = NativeTorch.showConfig();
        Optional<String> cap = NativeTorch.getenv("ONEDNN_MAX_CPU_ISA").filter(s -> !s.isBlank());
        boolean onednn = NativeTorch.onednnEnabled();
        facts = new EngineFacts(
                e.getVersion(),
                EngineFacts.onednnVersion(config),
                used.configName(),
                asked.configName(),
                plan.reason(),
                fallback,
                cap.orElse(null),
                onednn ? EngineFacts.effectiveIsa(EngineFacts.cpuFlags(), cap.orElse(null)) : "off",
                EngineFacts.atenCapability(config),
                NativeTorch.intraOpThreads(),
                EngineFacts.cpuName(),
                r.summary());
        if (!r.ok()) {
            throw new EngineException("engine self-check failed (kernels=" + used.configName() + "): " + r.failure()
                    + (fallback == null ? "" : " [after " + fallback + "]")
                    + "; this machine's libtorch computes wrong numbers — try LAC4J_KERNELS=aten or onednn-sse41, and run `lac4j doctor`");
        }
    }

    /** The engine with libtorch's default thread count. */
    public static Engine start() {
        return start(Integer.getInteger("lac4j.threads", 0));
    }

    /** The engine's configuration and self-check result (starts the engine if needed). */
    public static EngineFacts facts() {
        start();
        return facts;
    }

    /**
     * The facts of the last start attempt, also when its self-check failed (then
     * {@link EngineFacts#selfCheck()} names the failing operation); empty before any start.
     */
    public static Optional<EngineFacts> lastFacts() {
        return Optional.ofNullable(facts);
    }

    /** A new root manager on the CPU; the caller closes it. */
    public static NDManager newBaseManager() {
        return start().newBaseManager();
    }

    /** Seeds the engine's own RNG (dropout, random init); lac4j's data RNG is seeded separately. */
    public static void seed(long seed) {
        start().setRandomSeed((int) seed);
    }

    /**
     * {@code gc.backward(loss)}, every lac4j backward pass goes through here: under {@code -Dlac4j.poisonFreedBuffers}
     * ({@link FreedBufferPoison}, on in the tests) an operand autograd kept in freed memory reads NaN.
     */
    public static void backward(GradientCollector gc, NDArray loss) {
        List<ByteBuffer> poison = FreedBufferPoison.beforeBackward();
        gc.backward(loss);
        Reference.reachabilityFence(poison);
    }

    /** Version of the native PyTorch library, for provenance. */
    public static String torchVersion() {
        return start().getVersion();
    }

    /**
     * A float32 0-d tensor owned by libtorch. Use it for every constant on an autograd path, never a
     * Java number: DJL turns {@code a.mul(0.5f)} into a tensor over a Java buffer (from_blob) that it
     * frees right away, while autograd keeps it for the backward pass (non-deterministic garbage/NaN).
     */
    public static NDArray scalar(NDManager m, double v) {
        return m.full(new Shape(), (float) v, DataType.FLOAT32);
    }
}
