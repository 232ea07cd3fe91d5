package io.lac4j.io;

import io.lac4j.io.Unpickler.Refusal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unpickler's stack, marks and memo, and the containers it builds, with every limit: stack
 * size, nesting depth (tracked per container as items are added), container count, memo size.
 */
final class PickleStack {
    static final int MAX_DEPTH = 100;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 20;

    /**
     * Containers (dicts, lists, tuples) one pickle may build; real ones need about 4 per tensor.
     */
    static final int MAX_CONTAINERS = 1 << 22;

    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();
    private final IdentityHashMap<Object, Integer> depths = new IdentityHashMap<>();
    private int containers;

    void mark() {
        if (marks.size() >= MAX_DEPTH) {
            throw new Refusal("pickle nests deeper than " + MAX_DEPTH + " marks");
        }
        marks.add(stack.size());
    }

    /** POP: drops the top item, or the innermost mark if nothing was pushed after it. */
    void popItemOrMark() {
        if (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size()) {
            marks.remove(marks.size() - 1);
        } else {
            pop();
        }
    }

    /** STOP: the pickle's value, which must be the only item left. */
    Object result() {
        if (stack.size() != 1 || !marks.isEmpty()) {
            throw new Refusal(
                    "STOP with "
                            + stack.size()
                            + " stack items and "
                            + marks.size()
                            + " open marks; expected exactly 1 item");
        }
        return stack.get(0);
    }

    void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw new Refusal("pickle stack exceeds " + MAX_STACK + " items");
        }
        stack.add(o);
    }

    Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new Refusal("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    Object peek() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new Refusal("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new Refusal("pickle has no MARK to pop to");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> sub = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return sub;
    }

    List<Object> popN(int n) {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() - floor < n) {
            throw new Refusal("pickle stack underflow");
        }
        List<Object> sub = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return sub;
    }

    <T> T container(T c) {
        countContainer();
        depths.put(c, 1);
        return c;
    }

    private void countContainer() {
        if (++containers > MAX_CONTAINERS) {
            throw new Refusal(
                    "pickle builds more than " + MAX_CONTAINERS + " dicts, lists and tuples");
        }
    }

    private int depth(Object o) {
        Integer d = depths.get(o);
        return d == null ? 0 : d;
    }

    private void nest(Object parent, Object child) {
        int d = Math.max(depth(parent), depth(child) + 1);
        if (d > MAX_DEPTH) {
            throw new Refusal("pickle nests deeper than " + MAX_DEPTH + " levels");
        }
        depths.put(parent, d);
    }

    List<Object> tupleOf(List<Object> items) {
        countContainer();
        List<Object> t = PickleValues.tuple(items.toArray());
        int d = 1;
        for (Object o : items) {
            d = Math.max(d, depth(o) + 1);
        }
        if (d > MAX_DEPTH) {
            throw new Refusal("pickle nests deeper than " + MAX_DEPTH + " levels");
        }
        depths.put(t, d);
        return t;
    }

    void append(List<Object> list, Object item) {
        nest(list, item);
        list.add(item);
    }

    void setItems(Map<Object, Object> map, List<Object> kv) {
        if (kv.size() % 2 != 0) {
            throw new Refusal("odd number of items (" + kv.size() + ") for a dict");
        }
        for (int i = 0; i < kv.size(); i += 2) {
            Object key = kv.get(i);
            if (!hashable(key)) {
                throw new Refusal("unhashable dict key of type " + PickleValues.typeName(key));
            }
            nest(map, kv.get(i + 1));
            map.put(key, kv.get(i + 1));
        }
    }

    private static boolean hashable(Object key) {
        if (key instanceof List) {
            return PickleValues.isTuple(key)
                    && ((List<?>) key).stream().allMatch(PickleStack::hashable);
        }
        return !(key instanceof Map);
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o, String op) {
        if (o instanceof ArrayList) {
            return (List<Object>) o;
        }
        throw new Refusal(op + " on " + PickleValues.typeName(o) + "; expected a list");
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> asMap(Object o, String op) {
        if (o instanceof LinkedHashMap) {
            return (Map<Object, Object>) o;
        }
        throw new Refusal(op + " on " + PickleValues.typeName(o) + "; expected a dict");
    }

    void memoPut(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw new Refusal("pickle memo exceeds " + MAX_MEMO + " entries");
        }
        memo.put(index, peek());
    }

    int memoSize() {
        return memo.size();
    }

    void memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw new Refusal("memo index " + index + " was never stored");
        }
        push(memo.get(index));
    }
}
