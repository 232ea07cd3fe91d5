package io.lac4j.cli;

import io.lac4j.engine.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Draws {@link Progress} reports on stderr: a progress bar per task on a terminal, and one line
 * every few seconds otherwise (so CI logs stay readable).
 */
final class ConsoleProgress implements Progress, AutoCloseable {
    private static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private final PrintStream err;
    private final boolean terminal;
    private final boolean quiet;
    private ProgressBar bar;
    private String task;
    private long lastLine;

    ConsoleProgress(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public synchronized void step(String task, long done, long total, String detail) {
        if (quiet) {
            return;
        }
        if (!task.equals(this.task)) {
            finishBar();
            this.task = task;
            lastLine = 0;
            if (terminal) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(total, 1))
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
                        .setUpdateIntervalMillis(250).continuousUpdate().build();
            }
        }
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(detail);
        } else {
            long now = System.nanoTime();
            if (done == total || now - lastLine > LINE_EVERY_NANOS) {
                err.println(task + ": " + done + (total > 0 ? "/" + total : "") + (detail.isEmpty() ? "" : "  " + detail));
                lastLine = now;
            }
        }
        if (done == total) {
            finishBar();
            this.task = null;
        }
    }

    private void finishBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public synchronized void close() {
        finishBar();
    }
}
