package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every file in golden/io/hostile is refused with an InputException naming the specific problem.
 */
class HostileCorpusTest {
    /** File name to a fragment the message must contain. */
    static final Map<String, String> EXPECTED =
            new TreeMap<>(
                    Map.ofEntries(
                            Map.entry("empty.pth", "got an empty file"),
                            Map.entry("elf_binary.bin", "got bytes 7f 45 4c 46 (an ELF binary?)"),
                            Map.entry("truncated_zip.pth", "not a readable zip archive"),
                            Map.entry("zip_without_data_pkl.pth", "(no data.pkl)"),
                            Map.entry(
                                    "missing_storage_entry.pth",
                                    "expected zip entry 'archive/data/0', not found"),
                            Map.entry(
                                    "shape_overflow.pth",
                                    "size [1099511627776, 1099511627776] stride [1099511627776, 1]"
                                        + " offset 0: element count or extent overflows 64 bits"),
                            Map.entry(
                                    "stride_overflow.pth",
                                    "stride [4611686018427387904, 4611686018427387904] offset 0:"
                                            + " element count or extent overflows 64 bits"),
                            Map.entry("negative_dim.pth", "negative dimension -1"),
                            Map.entry(
                                    "storage_smaller_than_shape.pth",
                                    "needs 100 elements, but the storage has 50"),
                            Map.entry(
                                    "offset_past_end.pth",
                                    "offset 1000 needs 1004 elements, but the storage has 10"),
                            Map.entry(
                                    "storage_entry_short.pth",
                                    "expected 400 bytes (100 x float32), got 40"),
                            Map.entry(
                                    "storage_key_path.pth",
                                    "storage key '../../etc/passwd' is not a plain name"),
                            Map.entry("big_endian.pth", "byteorder: expected 'little', got 'big'"),
                            Map.entry(
                                    "evil_os_system.pth",
                                    "refusing global 'posix.system'; only tensor rebuilds,"
                                            + " storages, OrderedDict allowed"),
                            Map.entry("evil_builtins_eval.pth", "refusing global 'builtins.eval'"),
                            Map.entry(
                                    "evil_legacy_subprocess.pth",
                                    "refusing global 'subprocess.Popen'"),
                            Map.entry(
                                    "reduce_on_storage_class.pth",
                                    "refusing REDUCE on 'torch.FloatStorage'"),
                            Map.entry(
                                    "legacy_huge_declared_size.pth",
                                    "over the 2 GiB a Java array holds"),
                            Map.entry(
                                    "legacy_huge_storage_count.pth",
                                    "expected 4 elements (as the main pickle declares), got a"
                                            + " count of 1152921504606846976"),
                            Map.entry("legacy_missing_storages.pth", "(truncated?)"),
                            Map.entry(
                                    "legacy_wrong_magic.pth",
                                    "expected the legacy PyTorch magic number"),
                            Map.entry(
                                    "expanded_view_bomb.pth",
                                    "tensors would materialise 83886080 bytes from 4 bytes of"
                                            + " storage"),
                            Map.entry(
                                    "whole_model.pth",
                                    "refusing global 'torch.nn.modules.linear.Linear'; only tensor"
                                            + " rebuilds, storages, OrderedDict allowed (a whole"
                                            + " pickled model? save model.state_dict() instead)"),
                            Map.entry("deeply_nested.pth", "pickle nests deeper than 100 levels"),
                            Map.entry("truncated_pickle.pth", "truncated pickle"),
                            Map.entry("no_tensors.pth", "with no tensors"),
                            Map.entry("st_header_past_eof.safetensors", "(past end of file)"),
                            Map.entry(
                                    "st_overlapping_offsets.safetensors",
                                    "overlap the previous tensor"),
                            Map.entry(
                                    "st_bad_dtype.safetensors",
                                    "dtype: expected one of [F32, F16, BF16"),
                            Map.entry(
                                    "st_size_mismatch.safetensors",
                                    "expected 16 bytes for shape [2, 2] float32, got"
                                            + " data_offsets spanning 8"),
                            Map.entry(
                                    "st_offsets_past_end.safetensors",
                                    "data_offsets end at 8, expected at most 4")));

    static Stream<String> files() throws IOException {
        try (Stream<Path> s = Files.list(IoFixtures.path("hostile"))) {
            return s
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList())
                    .stream();
        }
    }

    @Test
    void tableCoversTheWholeCorpus() throws IOException {
        List<String> onDisk = files().collect(Collectors.toList());
        assertThat(onDisk).hasSizeGreaterThanOrEqualTo(15);
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(onDisk);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)   // hang guard (a hostile file must not loop), not a speed target
    void refusedWithSpecificMessage(String name) {
        Path file = IoFixtures.path("hostile/" + name);
        assertThatThrownBy(() -> Checkpoints.read(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file.toString() + ":")
                .hasMessageContaining(
                        EXPECTED.getOrDefault(name, "<no expectation for " + name + ">"));
    }
}
