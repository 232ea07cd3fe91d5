package io.lac4j.cli;

import io.lac4j.defense.Defense;
import io.lac4j.defense.Defenses;
import java.util.Iterator;

/** The registered defenses' names, for picocli's help texts and completion: a new defense shows up without a CLI edit. */
final class DefenseNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Defenses.all().stream().map(Defense::name).iterator();
    }
}
