package io.lac4j.attack;

/** What a training run does: clean training or one of the QCB attacks (ATTACKS.md §1–3). */
public enum AttackKind {
    CLEAN("train"),
    BADNETS("badnets"),
    QU_ANTI_ZATION("qu-anti-zation"),
    PQBACKDOOR("pqbackdoor"),
    COMPARTIFACT("compartifact");

    private final String cliName;

    AttackKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }
}
