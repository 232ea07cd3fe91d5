package io.lac4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine;

/** Top command: lists the subcommands; with none given prints usage. */
@Command(
        name = "lac4j",
        mixinStandardHelpOptions = true,
        versionProvider = Lac4j.Version.class,
        header = "Find and purify quantization-conditioned backdoors (LAC + PDA).",
        subcommands = {DemoCommand.class, DoctorCommand.class, EvaluateCommand.class, QuantizeCommand.class, PurifyCommand.class, DefendCommand.class, CompareCommand.class,
            ExportCommand.class, ScanCommand.class,
            TrainCommand.class, AttackCommand.class, InspectCheckpointCommand.class, InspectDriftCommand.class,
            HelpCommand.class},
        footer = "%nExample:%n  ./lac4j demo")
public final class Lac4j implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line: one place wires streams, exit codes and error handlers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Lac4j());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(ExitCodes::of);
        cl.setExecutionExceptionHandler(ExitCodes::handle);
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Lac4j.class.getPackage().getImplementationVersion();
            return new String[] {"lac4j " + (v == null ? "dev" : v)};
        }
    }
}
