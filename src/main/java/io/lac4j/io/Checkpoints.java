package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;

/** The single entry point for loading a checkpoint whatever its format. */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Detects the format from the first bytes, reads the file and unwraps its state dict.
     *
     * @throws InputException for a missing, unknown, malformed or refused file
     */
    public static LoadedCheckpoint read(Path file) {
        CheckpointFormat format = detect(file);
        String sha = sha256(file);
        switch (format) {
            case SAFETENSORS:
                {
                    SafetensorsFile st = SafetensorsReader.read(file);
                    if (st.stateDict().size() == 0) {
                        throw new InputException(
                                file
                                        + ": expected at least one tensor, got an empty safetensors"
                                        + " file");
                    }
                    return new LoadedCheckpoint(
                            file,
                            format,
                            st.stateDict(),
                            List.of(),
                            new LinkedHashMap<String, Object>(st.metadata()),
                            sha);
                }
            case PTH_ZIP:
            case PTH_LEGACY:
                {
                    Object root =
                            format == CheckpointFormat.PTH_ZIP
                                    ? PthReader.readZip(file)
                                    : PthReader.readLegacy(file);
                    StateDict.Unwrapped u = StateDict.unwrap(root, file.toString());
                    return new LoadedCheckpoint(
                            file, format, u.stateDict(), u.notes(), u.metadata(), sha);
                }
            default:
                throw new IllegalStateException(format.name());
        }
    }

    /** The format of {@code file} judged from its first bytes. */
    public static CheckpointFormat detect(Path file) {
        if (!Files.exists(file)) {
            throw new InputException(file + ": file not found");
        } else if (Files.isDirectory(file)) {
            throw new InputException(file + ": expected a checkpoint file, got a directory");
        } else if (!Files.isRegularFile(file)) { // a pipe or device could block or never end
            throw new InputException(
                    file
                            + ": expected a regular checkpoint file, got a device, pipe or other"
                            + " special file");
        }
        byte[] head = head(file, 512);
        if (head.length == 0) {
            throw new InputException(
                    file
                            + ": expected a PyTorch .pth (zip or legacy) or .safetensors file, got"
                            + " an empty file");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return CheckpointFormat.PTH_ZIP;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return CheckpointFormat.PTH_LEGACY;
        }
        if (head.length >= 9 && head[8] == '{') {
            return CheckpointFormat.SAFETENSORS;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, head.length); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("%02x", head[i] & 0xff));
        }
        throw new InputException(
                file
                        + ": expected a PyTorch .pth (zip or legacy) or .safetensors file, got"
                        + " bytes "
                        + hex
                        + guess(head));
    }

    private static String guess(byte[] h) {
        if (h.length >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F') {
            return " (an ELF binary?)";
        } else if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return " (gzip; decompress it first)";
        } else if (h.length >= 262
                && new String(h, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                        .equals("ustar")) {
            return " (a tar archive: PyTorch < 0.4 checkpoints are not supported; re-save with a"
                    + " newer torch)";
        } else if (h.length >= 4 && h[0] == 0x08 && (h[1] & 0xff) <= 0x7f) {
            return " (an ONNX/protobuf file?)";
        } else if (h.length >= 2 && (h[0] & 0xff) == 0x80) {
            return " (a pickle of unsupported protocol " + h[1] + ")";
        } else if (h.length >= 1 && (h[0] == '{' || h[0] == '<' || h[0] == '#')) {
            return " (a text file?)";
        }
        return "";
    }

    /** Up to {@code n} first bytes of {@code file}. */
    static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new InputException(file + ": expected a checkpoint file, got a directory");
            }
            throw new Lac4jException(file + ": read failed: " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of the file's bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found");
        } catch (IOException e) {
            throw new Lac4jException(file + ": read failed: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
