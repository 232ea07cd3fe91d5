package io.lac4j.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Starts DJL's PyTorch engine offline, with a fixed number of intra-op threads, exactly once per
 * JVM. Everything else in lac4j is handed an {@link NDManager}; this class is the only caller of
 * {@link Engine}.
 */
public final class Engines {
    private static volatile Engine engine;

    private Engines() {}

    /**
     * Starts (or returns) the PyTorch engine. Threads are fixed at the first call; later calls
     * with a different count are ignored because libtorch reads it once.
     *
     * @param threads intra-op threads, {@code <= 0} keeps libtorch's default (one per core)
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
            engine = Engine.getEngine("PyTorch");
            NativeMemory.startTrimmer();
        }
        return engine;
    }

    /** The engine with libtorch's default thread count. */
    public static Engine start() {
        return start(Integer.getInteger("lac4j.threads", 0));
    }

    /** A new root manager on the CPU; the caller closes it. */
    public static NDManager newBaseManager() {
        return start().newBaseManager();
    }

    /** Seeds the engine's own RNG (dropout, random init); lac4j's data RNG is seeded separately. */
    public static void seed(long seed) {
        start().setRandomSeed((int) seed);
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
