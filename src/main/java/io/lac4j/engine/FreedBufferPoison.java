package io.lac4j.engine;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes one silent fault loud: an autograd operand that lives in freed memory. DJL turns a Java number operand
 * ({@code a.mul(2f)}) into a tensor over a direct Java buffer (libtorch's {@code from_blob}) and closes it as soon as
 * the operation returns; an array made from Java data is the same once its NDArray is closed. Autograd keeps such an
 * operand for the backward pass, but once the JVM has collected the buffer its memory is back with {@code malloc},
 * and backward reads whatever is there: a wrong gradient, different from run to run, and only when a garbage
 * collection happened to fall between forward and backward — rare enough to pass every test and to look like
 * engine nondeterminism in long runs.
 *
 * <p>With {@code -Dlac4j.poisonFreedBuffers=N} (N &gt; 0) every N-th backward pass through {@link Engines#backward}
 * first has the JVM free every unreachable direct buffer and then takes small blocks back from {@code malloc} filled
 * with NaN, so a freed operand reads NaN (or the allocator's own bookkeeping) instead of its value. The test suite
 * runs with it on; a run with it on computes the same numbers as without, only slower. Off by default.
 */
public final class FreedBufferPoison {
    public static final String PROPERTY = "lac4j.poisonFreedBuffers";
    /** Block sizes taken back after the collection: scalars up to per-channel constants of a few hundred floats. */
    private static final int[] SIZES = {4, 8, 16, 24, 40, 64, 128, 256, 512, 1024, 2048, 4096};
    private static final int BLOCKS_PER_SIZE = 24;
    private static final AtomicLong PASSES = new AtomicLong();

    private FreedBufferPoison() {}

    /** Every how many backward passes the poison runs (0: never). */
    static int every() {
        return Integer.getInteger(PROPERTY, 0);
    }

    /**
     * Before a backward pass: when it is this pass's turn, collects, waits for the collected direct buffers to be
     * freed, and returns NaN-filled blocks the caller keeps reachable until backward has run; otherwise an empty list.
     */
    static List<ByteBuffer> beforeBackward() {
        int every = every();
        if (every <= 0 || PASSES.incrementAndGet() % every != 0) {
            return List.of();
        }
        collectAndWaitForCleaners();
        List<ByteBuffer> blocks = new ArrayList<>(SIZES.length * BLOCKS_PER_SIZE);
        for (int size : SIZES) {
            for (int i = 0; i < BLOCKS_PER_SIZE; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                for (int off = 0; off + 4 <= size; off += 4) {
                    b.putFloat(off, Float.NaN);
                }
                blocks.add(b);
            }
        }
        return blocks;
    }

    /**
     * A collection, then a wait until the reference handler has run the cleaners it found (a sentinel's phantom
     * reference, discovered by the same collection, is enqueued by the same thread).
     */
    private static void collectAndWaitForCleaners() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(200);
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sentinel.clear();
    }
}
