package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.io.PickleAllowList.Function;
import io.lac4j.io.PickleAllowList.StorageClass;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for protocols 2 to 5 (plus the few text opcodes old files use) that builds
 * plain Java values and runs no code: globals resolve only through {@link PickleAllowList}, and
 * REDUCE/BUILD act only on allow-listed constructors implemented here. Sizes, nesting, stack and
 * memo are capped, and every declared length is checked against the bytes left.
 */
final class Unpickler {
    static final int MAX_DEPTH = 100;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 20;
    /** Containers (dicts, lists, tuples) one pickle may build; real ones need about 4 per tensor. */
    static final int MAX_CONTAINERS = 1 << 22;
    /** Tensors may expand their storages (stride-0 views) by this factor plus {@link #EXPANSION_SLACK}. */
    static final long EXPANSION_FACTOR = 16;
    static final long EXPANSION_SLACK = 64L << 20;
    static final int MAX_LINE = 1 << 16;

    /** Turns a persistent id {@code ('storage', class, key, location, numel[, view])} into a storage. */
    interface StorageLoader {
        Storage load(List<Object> pid) throws IOException;
    }

    /** A problem in the pickle's data; {@link #load} adds the file, part and offset. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** Result of a rebuild in a pass without storage bytes (legacy files are read twice). */
    static final class PendingTensor {}

    private static final Object MARK_SENTINEL = new Object();

    private final String where;
    private final PickleInput in;
    private final StorageLoader loader;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final HashMap<Long, Object> memo = new HashMap<>();
    private final IdentityHashMap<Object, Integer> depths = new IdentityHashMap<>();
    private final Set<Object> orderedDicts = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Storage> storagesSeen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long storageBytes;
    private long tensorBytes;
    private int containers;
    private long opOffset;

    /**
     * @param where file and part for messages, e.g. {@code evil.pth: data.pkl}
     */
    Unpickler(String where, PickleInput in, StorageLoader loader) {
        this.where = where;
        this.in = in;
        this.loader = loader;
    }

    /** Reads one pickle up to its STOP opcode. */
    Object load() {
        try {
            return run();
        } catch (Refusal e) {
            throw new InputException(where + " offset " + opOffset + ": " + e.getMessage());
        } catch (EOFException e) {
            throw new InputException(where + ": truncated pickle: " + e.getMessage());
        } catch (IOException e) {
            throw new Lac4jException(where + ": read failed: " + e.getMessage(), e);
        } catch (ArithmeticException e) {
            throw new InputException(where + " offset " + opOffset + ": size overflows 64 bits (" + e.getMessage() + ")");
        }
    }

    private Object run() throws IOException {
        while (true) {
            opOffset = in.position();
            int op = in.readByte();
            switch (op) {
                case 0x80: // PROTO
                    int proto = in.readByte();
                    if (proto > 5) {
                        throw new Refusal("unsupported pickle protocol " + proto + "; expected 2 to 5");
                    }
                    break;
                case 0x95: // FRAME: framing is only a read-ahead hint
                    in.readLittleEndian(8);
                    break;
                case '.': // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw new Refusal("STOP with " + stack.size() + " stack items and " + marks.size()
                                + " open marks; expected exactly 1 item");
                    }
                    return stack.get(0);
                case '(': // MARK
                    if (marks.size() >= MAX_DEPTH) {
                        throw new Refusal("pickle nests deeper than " + MAX_DEPTH + " marks");
                    }
                    marks.add(stack.size());
                    break;
                case '0': // POP
                    if (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size()) {
                        marks.remove(marks.size() - 1);
                    } else {
                        pop();
                    }
                    break;
                case '1': // POP_MARK
                    popMark();
                    break;
                case '2': // DUP
                    push(peek());
                    break;
                case 'N':
                    push(null);
                    break;
                case 0x88:
                    push(Boolean.TRUE);
                    break;
                case 0x89:
                    push(Boolean.FALSE);
                    break;
                case 'J': // BININT
                    push((long) (int) in.readLittleEndian(4));
                    break;
                case 'K': // BININT1
                    push((long) in.readByte());
                    break;
                case 'M': // BININT2
                    push(in.readLittleEndian(2));
                    break;
                case 0x8a: // LONG1
                    push(longFrom(in.readBytes(in.readByte())));
                    break;
                case 0x8b: // LONG4
                    push(longFrom(in.readBytes(checkedLength(in.readLittleEndian(4) & 0xffffffffL))));
                    break;
                case 'I': // INT (text; 00/01 are Python 2 bools)
                    push(textInt(in.readLine(MAX_LINE)));
                    break;
                case 'L': // LONG (text)
                    String l = in.readLine(MAX_LINE);
                    push(textInt(l.endsWith("L") ? l.substring(0, l.length() - 1) : l));
                    break;
                case 'G': // BINFLOAT (big-endian)
                    push(ByteBuffer.wrap(in.readBytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                    break;
                case 'F': // FLOAT (text)
                    push(textFloat(in.readLine(MAX_LINE)));
                    break;
                case 'X': // BINUNICODE
                    push(utf8(in.readBytes(in.readLittleEndian(4) & 0xffffffffL)));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    push(utf8(in.readBytes(in.readByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    push(utf8(in.readBytes(checkedLength(in.readLittleEndian(8)))));
                    break;
                case 'T': // BINSTRING (Python 2 str)
                    push(new String(in.readBytes(checkedLength((long) (int) in.readLittleEndian(4))),
                            StandardCharsets.ISO_8859_1));
                    break;
                case 'U': // SHORT_BINSTRING
                    push(new String(in.readBytes(in.readByte()), StandardCharsets.ISO_8859_1));
                    break;
                case 'B': // BINBYTES
                    push(in.readBytes(in.readLittleEndian(4) & 0xffffffffL));
                    break;
                case 'C': // SHORT_BINBYTES
                    push(in.readBytes(in.readByte()));
                    break;
                case 0x8e: // BINBYTES8
                case 0x96: // BYTEARRAY8
                    push(in.readBytes(checkedLength(in.readLittleEndian(8))));
                    break;
                case '}': // EMPTY_DICT
                    push(container(new LinkedHashMap<>()));
                    break;
                case ']': // EMPTY_LIST
                    push(container(new ArrayList<>()));
                    break;
                case ')': // EMPTY_TUPLE
                    push(PickleValues.tuple());
                    break;
                case 0x8f: // EMPTY_SET: kept as a list
                    push(container(new ArrayList<>()));
                    break;
                case 't': // TUPLE
                    push(tupleOf(popMark()));
                    break;
                case 0x85: // TUPLE1
                    push(tupleOf(popN(1)));
                    break;
                case 0x86: // TUPLE2
                    push(tupleOf(popN(2)));
                    break;
                case 0x87: // TUPLE3
                    push(tupleOf(popN(3)));
                    break;
                case 0x91: // FROZENSET
                    push(tupleOf(popMark()));
                    break;
                case 'l': { // LIST
                    List<Object> items = popMark();
                    List<Object> list = container(new ArrayList<>());
                    for (Object o : items) {
                        append(list, o);
                    }
                    push(list);
                    break;
                }
                case 'd': { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> map = container(new LinkedHashMap<>());
                    setItems(map, items);
                    push(map);
                    break;
                }
                case 'a': { // APPEND
                    Object v = pop();
                    append(asList(peek(), "APPEND"), v);
                    break;
                }
                case 'e': // APPENDS
                case 0x90: { // ADDITEMS
                    List<Object> items = popMark();
                    List<Object> list = asList(peek(), op == 'e' ? "APPENDS" : "ADDITEMS");
                    for (Object o : items) {
                        append(list, o);
                    }
                    break;
                }
                case 's': { // SETITEM
                    List<Object> kv = popN(2);
                    setItems(asMap(peek(), "SETITEM"), kv);
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popMark();
                    setItems(asMap(peek(), "SETITEMS"), items);
                    break;
                }
                case 'p': // PUT (text)
                    memoPut(textIndex(in.readLine(MAX_LINE)));
                    break;
                case 'q': // BINPUT
                    memoPut(in.readByte());
                    break;
                case 'r': // LONG_BINPUT
                    memoPut(in.readLittleEndian(4) & 0xffffffffL);
                    break;
                case 0x94: // MEMOIZE
                    memoPut(memo.size());
                    break;
                case 'g': // GET (text)
                    memoGet(textIndex(in.readLine(MAX_LINE)));
                    break;
                case 'h': // BINGET
                    memoGet(in.readByte());
                    break;
                case 'j': // LONG_BINGET
                    memoGet(in.readLittleEndian(4) & 0xffffffffL);
                    break;
                case 'c': { // GLOBAL
                    String module = in.readLine(MAX_LINE);
                    push(global(module, in.readLine(MAX_LINE)));
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw new Refusal("STACK_GLOBAL expects two strings, got "
                                + PickleValues.typeName(module) + " and " + PickleValues.typeName(name));
                    }
                    push(global((String) module, (String) name));
                    break;
                }
                case 'Q': { // BINPERSID
                    Object pid = pop();
                    if (!PickleValues.isTuple(pid)) {
                        throw new Refusal("persistent id must be a tuple, got " + PickleValues.typeName(pid));
                    }
                    @SuppressWarnings("unchecked")
                    List<Object> t = (List<Object>) pid;
                    Storage storage = loader.load(t);
                    if (storagesSeen.add(storage)) {
                        storageBytes += storage.numel() * storage.dtype().itemSize();
                    }
                    push(storage);
                    break;
                }
                case 'R': { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                    break;
                }
                case 'b': { // BUILD
                    Object state = pop();
                    build(peek(), state);
                    break;
                }
                case 0x81: // NEWOBJ
                case 0x92: // NEWOBJ_EX
                case 'i': // INST
                case 'o': // OBJ
                    throw new Refusal("refusing to construct an object (opcode " + opName(op) + "); "
                            + PickleAllowList.SUMMARY);
                case 0x82:
                case 0x83:
                case 0x84: // EXT1/2/4
                    throw new Refusal("refusing extension-registry global (opcode " + opName(op) + "); "
                            + PickleAllowList.SUMMARY);
                default:
                    throw new Refusal("unsupported pickle opcode " + opName(op));
            }
        }
    }

    private static String opName(int op) {
        String hex = String.format("0x%02x", op);
        return op >= 0x20 && op < 0x7f ? hex + " '" + (char) op + "'" : hex;
    }

    // ---- stack ----

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw new Refusal("pickle stack exceeds " + MAX_STACK + " items");
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new Refusal("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) {
            throw new Refusal("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new Refusal("pickle has no MARK to pop to");
        }
        int from = marks.remove(marks.size() - 1);
        List<Object> sub = new ArrayList<>(stack.subList(from, stack.size()));
        stack.subList(from, stack.size()).clear();
        return sub;
    }

    private List<Object> popN(int n) {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() - floor < n) {
            throw new Refusal("pickle stack underflow");
        }
        List<Object> sub = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return sub;
    }

    // ---- containers, with a nesting cap ----

    private <T> T container(T c) {
        countContainer();
        depths.put(c, 1);
        return c;
    }

    private void countContainer() {
        if (++containers > MAX_CONTAINERS) {
            throw new Refusal("pickle builds more than " + MAX_CONTAINERS + " dicts, lists and tuples");
        }
    }

    /** Refuses tensors that would expand a small file into a huge allocation (e.g. stride-0 views). */
    private void chargeTensor(long bytes, String what) {
        tensorBytes += bytes;
        long limit = EXPANSION_FACTOR * storageBytes + EXPANSION_SLACK;
        if (tensorBytes > limit) {
            throw new Refusal(what + ": tensors would materialise " + tensorBytes + " bytes from " + storageBytes
                    + " bytes of storage (limit " + EXPANSION_FACTOR + "x + 64 MiB); refusing as a memory bomb");
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

    private List<Object> tupleOf(List<Object> items) {
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

    private void append(List<Object> list, Object item) {
        nest(list, item);
        list.add(item);
    }

    private void setItems(Map<Object, Object> map, List<Object> kv) {
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
            return PickleValues.isTuple(key) && ((List<?>) key).stream().allMatch(Unpickler::hashable);
        }
        return !(key instanceof Map);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o, String op) {
        if (o instanceof ArrayList) {
            return (List<Object>) o;
        }
        throw new Refusal(op + " on " + PickleValues.typeName(o) + "; expected a list");
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o, String op) {
        if (o instanceof LinkedHashMap) {
            return (Map<Object, Object>) o;
        }
        throw new Refusal(op + " on " + PickleValues.typeName(o) + "; expected a dict");
    }

    // ---- memo ----

    private void memoPut(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw new Refusal("pickle memo exceeds " + MAX_MEMO + " entries");
        }
        memo.put(index, peek());
    }

    private void memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw new Refusal("memo index " + index + " was never stored");
        }
        push(memo.get(index));
    }

    // ---- scalars ----

    private static long checkedLength(long n) {
        if (n < 0) {
            throw new Refusal("negative length " + n);
        }
        return n;
    }

    private static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Object textInt(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        } else if (s.equals("01")) {
            return Boolean.TRUE;
        }
        try {
            BigInteger v = new BigInteger(s.trim());
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw new Refusal("bad integer literal '" + abbreviate(s) + "'");
        }
    }

    private static Double textFloat(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new Refusal("bad float literal '" + abbreviate(s) + "'");
        }
    }

    private static long textIndex(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new Refusal("bad memo index '" + abbreviate(s) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- globals, REDUCE, BUILD ----

    private static Object global(String module, String name) {
        Object resolved = PickleAllowList.resolve(module, name);
        if (resolved == null) {
            throw new Refusal("refusing global '" + abbreviate(module) + "." + abbreviate(name) + "'; "
                    + PickleAllowList.SUMMARY);
        }
        return resolved;
    }

    private Object reduce(Object callable, Object argsObj) {
        if (!(callable instanceof Function)) {
            throw new Refusal("refusing REDUCE on " + describeGlobal(callable) + "; " + PickleAllowList.SUMMARY);
        }
        if (!PickleValues.isTuple(argsObj)) {
            throw new Refusal("REDUCE arguments must be a tuple, got " + PickleValues.typeName(argsObj));
        }
        List<?> args = (List<?>) argsObj;
        Function f = (Function) callable;
        switch (f) {
            case REBUILD_TENSOR_V2:
                return TensorRebuild.rebuild("_rebuild_tensor_v2", args, 6, 7, this::chargeTensor);
            case REBUILD_TENSOR:
                return TensorRebuild.rebuild("_rebuild_tensor", args, 4, 4, this::chargeTensor);
            case REBUILD_PARAMETER:
            case REBUILD_PARAMETER_WITH_STATE:
                if (args.isEmpty()) {
                    throw new Refusal("_rebuild_parameter expects the tensor first, got no arguments");
                }
                Object data = args.get(0);
                if (!(data instanceof TensorData || data instanceof PendingTensor)) {
                    throw new Refusal("_rebuild_parameter expects a tensor, got " + PickleValues.typeName(data));
                }
                return data;
            case ORDERED_DICT: {
                Map<Object, Object> map = container(new LinkedHashMap<>());
                orderedDicts.add(map);
                if (!args.isEmpty() && args.get(0) instanceof List) {
                    for (Object pair : (List<?>) args.get(0)) {
                        if (!(pair instanceof List) || ((List<?>) pair).size() != 2) {
                            throw new Refusal("OrderedDict items must be (key, value) pairs");
                        }
                        setItems(map, new ArrayList<>((List<?>) pair));
                    }
                }
                return map;
            }
            case TORCH_SIZE:
                if (args.size() != 1 || !(args.get(0) instanceof List)) {
                    throw new Refusal("torch.Size expects one tuple of ints");
                }
                return tupleOf(new ArrayList<>((List<?>) args.get(0)));
            case CODECS_ENCODE:
                return Numpy.encode(args);
            case NUMPY_DTYPE:
                return Numpy.dtype(args);
            case NUMPY_SCALAR:
                return Numpy.scalar(args);
            default:
                throw new IllegalStateException(f.name());
        }
    }

    private void build(Object obj, Object state) {
        if (obj instanceof Map && orderedDicts.contains(obj)) {
            return; // OrderedDict attributes such as a state_dict's _metadata: versions only, dropped
        }
        if (obj instanceof TensorData || obj instanceof PendingTensor) {
            return; // tensor attributes set by BUILD (e.g. a Parameter's __dict__) carry no data we use
        }
        if (obj instanceof Numpy.DTypeSpec) {
            ((Numpy.DTypeSpec) obj).setState(state);
            return;
        }
        throw new Refusal("refusing BUILD on " + describeGlobal(obj) + "; " + PickleAllowList.SUMMARY);
    }

    private static String describeGlobal(Object o) {
        if (o instanceof StorageClass) {
            return "'" + ((StorageClass) o).name() + "'";
        } else if (o instanceof DType) {
            return "'torch." + o + "'";
        }
        return PickleValues.typeName(o);
    }
}
