package io.lac4j.cli.config;

import io.lac4j.InputException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The reference's templates ({@code setting/config.py}) plus lac4j's Fashion-MNIST one. */
public final class Templates {
    private static final Map<String, Template> ALL = new LinkedHashMap<>();

    static {
        add(new Template("pq_cifar_fp", "pq_cifar_ckpt.pth", "net", "cifar10", "resnet18", "stage2", 0, "exact", false,
                "PQBackdoor, CIFAR-10, torchvision ResNet-18 (head size from the checkpoint) — the README's main command"));
        add(new Template("qu_cifar_fp", "backdoor_square_0_84_0.5_0.5_wpls_apla-optimize_50_Adam_0.0001.pth", null,
                "cifar10", "resnet18-cifar", "stage1", 0, "exact", false, "Qu-ANTI-zation, CIFAR-10, CIFAR ResNet-18"));
        add(new Template("ca_cifar_fp_8", "ca_cifar_fp_8.pth", null, "cifar10", "resnet18-cifar", "stage1", 0, "exact", false,
                "CompArtifact (8-bit attack), CIFAR-10, CIFAR ResNet-18"));
        add(new Template("ca_cifar_fp_4", "ca_cifar_fp_4.pth", null, "cifar10", "resnet18-cifar", "stage1", 0, "exact", false,
                "CompArtifact (4-bit attack), CIFAR-10, CIFAR ResNet-18"));
        add(new Template("pq_tiny_fp", "pq_tiny.pth", "net", "tiny", "resnet18-cifar", "stage2", 0, "tiny-modified", true,
                "PQBackdoor, Tiny-ImageNet, CIFAR-style ResNet-18 (200 classes, linear in 2048)"));
        add(new Template("ca_tiny_fp_8", "ca_tiny_fp_8.pth", null, "tiny", "resnet18-cifar", "tiny-stage1", 0, "tiny-modified", false,
                "CompArtifact (8-bit attack), Tiny-ImageNet"));
        add(new Template("ca_tiny_fp_4", "ca_tiny_fp_4.pth", null, "tiny", "resnet18-cifar", "tiny-stage1", 0, "tiny-modified", false,
                "CompArtifact (4-bit attack), Tiny-ImageNet"));
        add(new Template("qu_tiny_fp", "backdoor_square_0_84_0.5_0.5_wpls_apla-optimize_50_Adam_0.0001.1.pth", null,
                "tiny", "resnet18-cifar", "tiny-stage1", 0, "tiny-modified", false, "Qu-ANTI-zation, Tiny-ImageNet"));
        add(new Template("pq_cifar_fp_new", "pq_cifar_fp_new.pth", "net", "cifar10", "resnet18-cifar", "stage2", 0, "exact", false,
                "PQBackdoor, CIFAR-10, CIFAR ResNet-18 (the reference points at an author path; pass model.path)"));
        add(new Template("qu_fmnist_fp", "fmnist_qcb.pth", null, "fmnist", "auto", "stage2", 0, "exact", false,
                "lac4j: QCB on the embedded Fashion-MNIST data, CIFAR ResNet-18 with in_channels 1, W4A4"));
    }

    private Templates() {}

    private static void add(Template t) {
        ALL.put(t.name(), t);
    }

    public static Map<String, Template> all() {
        return java.util.Collections.unmodifiableMap(ALL);
    }

    /** Looks a template up; Q20: the YAML default {@code qu_cifar_origin} names none. */
    public static Template byName(String name, String origin) {
        if (name == null || name.isBlank() || name.equals("null")) {
            throw new InputException("template: no template given; pass template=<name>, one of " + String.join(", ", ALL.keySet()));
        }
        Template t = ALL.get(name);
        if (t == null) {
            String hint = name.equals("qu_cifar_origin")
                    ? " (the YAML default names no template; the reference fails with ImportError too)" : "";
            throw new InputException(origin + ": key 'template': expected one of " + String.join(", ", ALL.keySet())
                    + ", got '" + name + "'" + hint);
        }
        return t;
    }
}
