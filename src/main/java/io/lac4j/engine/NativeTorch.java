package io.lac4j.engine;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few libtorch switches DJL's JNI does not expose, reached through JNA: the process
 * environment oneDNN reads at its first use, at::Context's mkldnn switch, c10's log level and
 * at::show_config(). Linux/glibc only; every call degrades to "not available" elsewhere.
 *
 * <p>Only exported, stable C++ entry points are used (at::globalContext, Context::setUserEnabledMkldnn,
 * Context::userEnabledMkldnn, at::show_config), called with the System V calling convention.
 */
final class NativeTorch {
    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET_MKLDNN = "_ZNK2at7Context17userEnabledMkldnnEv";
    private static final String SHOW_CONFIG = "_ZN2at11show_configB5cxx11Ev";
    private static final String NUM_THREADS = "_ZN2at15get_num_threadsEv";
    /** c10's minimum level for its own log lines: 0 info, 1 warning, 2 error. */
    private static final String LOG_LEVEL = "FLAGS_caffe2_log_level";

    private NativeTorch() {}

    /** Sets a variable in the process environment (getenv sees it; Java's System.getenv does not). */
    static void setenv(String name, String value) {
        try {
            NativeLibrary.getInstance("c").getFunction("setenv").invokeInt(new Object[] {name, value, 1});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new EngineException("cannot set " + name + "=" + value + " in the process environment ("
                    + e.getMessage() + "); set it in the shell before starting lac4j", e);
        }
    }

    /** The process environment as native code sees it. */
    static Optional<String> getenv(String name) {
        try {
            Pointer p = NativeLibrary.getInstance("c").getFunction("getenv").invokePointer(new Object[] {name});
            return p == null ? Optional.empty() : Optional.of(p.getString(0));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.ofNullable(System.getenv(name));
        }
    }

    /** Turns libtorch's oneDNN (mkldnn) backend on or off and returns the state read back. */
    static boolean setOnednnEnabled(boolean on) {
        NativeLibrary torch = library("libtorch_cpu.so");
        torch.getFunction(SET_MKLDNN).invokeVoid(new Object[] {globalContext(torch), on ? (byte) 1 : (byte) 0});
        return onednnEnabled();
    }

    static boolean onednnEnabled() {
        NativeLibrary torch = library("libtorch_cpu.so");
        return (torch.getFunction(GET_MKLDNN).invokeInt(new Object[] {globalContext(torch)}) & 0xff) != 0;
    }

    /** at::globalContext(), the object the mkldnn switch is a member function of. */
    private static Pointer globalContext(NativeLibrary torch) {
        return torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    }

    /** libtorch's intra-op thread count, or -1 when it cannot be read. */
    static int intraOpThreads() {
        try {
            return library("libtorch_cpu.so").getFunction(NUM_THREADS).invokeInt(new Object[0]);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /** Keeps c10's warnings (NNPACK's "Unsupported hardware", dozens per run) off the user's terminal. */
    static void quietWarnings() {
        try {
            library("libc10.so").getGlobalVariableAddress(LOG_LEVEL).setInt(0, 2);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // Older or differently built libtorch: the lines stay, nothing else changes.
        }
    }

    /**
     * at::show_config(): build facts including the bundled oneDNN version and ATen's CPU capability.
     * It returns a std::string by value, i.e. through a hidden result pointer (libstdc++'s layout:
     * data pointer, length, 16-byte inline buffer); the few bytes it allocates are left to the process.
     */
    static Optional<String> showConfig() {
        try {
            Function f = library("libtorch_cpu.so").getFunction(SHOW_CONFIG);
            Memory result = new Memory(32);
            f.invokeVoid(new Object[] {result});
            Pointer data = result.getPointer(0);
            long length = result.getLong(8);
            if (data == null || length <= 0 || length > 1 << 20) {
                return Optional.empty();
            }
            return Optional.of(new String(data.getByteArray(0, (int) length), java.nio.charset.StandardCharsets.UTF_8));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A library libtorch already loaded, found by file name in /proc/self/maps (DJL extracts it to a cache folder). */
    private static NativeLibrary library(String fileName) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("/" + fileName)) {
                    return NativeLibrary.getInstance(line.substring(slash));
                }
            }
        } catch (IOException e) {
            throw new EngineException("cannot read /proc/self/maps to find " + fileName + ": " + e.getMessage(), e);
        }
        throw new EngineException(fileName + " is not loaded: start the PyTorch engine first");
    }
}
