package io.lac4j.io;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for protocols 2 to 5 (plus the few text opcodes old files use) that builds plain
 * Java values and runs no code: globals resolve only through {@link PickleAllowList}, and
 * REDUCE/BUILD act only on allow-listed constructors implemented here. Sizes, nesting, stack and
 * memo are capped, and every declared length is checked against the bytes left.
 */
final class Unpickler {
    /**
     * Tensors may expand their storages (stride-0 views) by this factor plus {@link
     * #EXPANSION_SLACK}.
     */
    static final long EXPANSION_FACTOR = 16;

    static final long EXPANSION_SLACK = 64L << 20;
    static final int MAX_LINE = 1 << 16;

    /**
     * Turns a persistent id {@code ('storage', class, key, location, numel[, view])} into a
     * storage.
     */
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

    private final String where;
    private final PickleInput in;
    private final StorageLoader loader;
    private final PickleStack s = new PickleStack();
    private final Set<Storage> storagesSeen = Collections.newSetFromMap(new IdentityHashMap<>());
    private long storageBytes;
    private long tensorBytes;
    private long opOffset;
    private final PickleCalls calls;

    /**
     * @param where file and part for messages, e.g. {@code evil.pth: data.pkl}
     */
    Unpickler(String where, PickleInput in, StorageLoader loader) {
        this.where = where;
        this.in = in;
        this.loader = loader;
        this.calls = new PickleCalls(s, this::chargeTensor);
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
            throw new InputException(
                    where
                            + " offset "
                            + opOffset
                            + ": size overflows 64 bits ("
                            + e.getMessage()
                            + ")");
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
                        throw new Refusal(
                                "unsupported pickle protocol " + proto + "; expected 2 to 5");
                    }
                    break;
                case 0x95: // FRAME: framing is only a read-ahead hint
                    in.readLittleEndian(8);
                    break;
                case '.': // STOP
                    return s.result();
                case '(': // MARK
                    s.mark();
                    break;
                case '0': // POP
                    s.popItemOrMark();
                    break;
                case '1': // POP_MARK
                    s.popMark();
                    break;
                case '2': // DUP
                    s.push(s.peek());
                    break;
                case 'N':
                    s.push(null);
                    break;
                case 0x88:
                    s.push(Boolean.TRUE);
                    break;
                case 0x89:
                    s.push(Boolean.FALSE);
                    break;
                case 'J': // BININT
                    s.push((long) (int) in.readLittleEndian(4));
                    break;
                case 'K': // BININT1
                    s.push((long) in.readByte());
                    break;
                case 'M': // BININT2
                    s.push(in.readLittleEndian(2));
                    break;
                case 0x8a: // LONG1
                    s.push(PickleValues.longFrom(in.readBytes(in.readByte())));
                    break;
                case 0x8b: // LONG4
                    s.push(
                            PickleValues.longFrom(
                                    in.readBytes(
                                            PickleValues.checkedLength(
                                                    in.readLittleEndian(4) & 0xffffffffL))));
                    break;
                case 'I': // INT (text; 00/01 are Python 2 bools)
                    s.push(PickleValues.textInt(in.readLine(MAX_LINE)));
                    break;
                case 'L': // LONG (text)
                    String l = in.readLine(MAX_LINE);
                    s.push(
                            PickleValues.textInt(
                                    l.endsWith("L") ? l.substring(0, l.length() - 1) : l));
                    break;
                case 'G': // BINFLOAT (big-endian)
                    s.push(
                            ByteBuffer.wrap(in.readBytes(8))
                                    .order(ByteOrder.BIG_ENDIAN)
                                    .getDouble());
                    break;
                case 'F': // FLOAT (text)
                    s.push(PickleValues.textFloat(in.readLine(MAX_LINE)));
                    break;
                case 'X': // BINUNICODE
                    s.push(PickleValues.utf8(in.readBytes(in.readLittleEndian(4) & 0xffffffffL)));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    s.push(PickleValues.utf8(in.readBytes(in.readByte())));
                    break;
                case 0x8d: // BINUNICODE8
                    s.push(
                            PickleValues.utf8(
                                    in.readBytes(
                                            PickleValues.checkedLength(in.readLittleEndian(8)))));
                    break;
                case 'T': // BINSTRING (Python 2 str)
                    s.push(
                            new String(
                                    in.readBytes(
                                            PickleValues.checkedLength(
                                                    (long) (int) in.readLittleEndian(4))),
                                    StandardCharsets.ISO_8859_1));
                    break;
                case 'U': // SHORT_BINSTRING
                    s.push(new String(in.readBytes(in.readByte()), StandardCharsets.ISO_8859_1));
                    break;
                case 'B': // BINBYTES
                    s.push(in.readBytes(in.readLittleEndian(4) & 0xffffffffL));
                    break;
                case 'C': // SHORT_BINBYTES
                    s.push(in.readBytes(in.readByte()));
                    break;
                case 0x8e: // BINBYTES8
                case 0x96: // BYTEARRAY8
                    s.push(in.readBytes(PickleValues.checkedLength(in.readLittleEndian(8))));
                    break;
                case '}': // EMPTY_DICT
                    s.push(s.container(new LinkedHashMap<>()));
                    break;
                case ']': // EMPTY_LIST
                    s.push(s.container(new ArrayList<>()));
                    break;
                case ')': // EMPTY_TUPLE
                    s.push(PickleValues.tuple());
                    break;
                case 0x8f: // EMPTY_SET: kept as a list
                    s.push(s.container(new ArrayList<>()));
                    break;
                case 't': // TUPLE
                    s.push(s.tupleOf(s.popMark()));
                    break;
                case 0x85: // TUPLE1
                    s.push(s.tupleOf(s.popN(1)));
                    break;
                case 0x86: // TUPLE2
                    s.push(s.tupleOf(s.popN(2)));
                    break;
                case 0x87: // TUPLE3
                    s.push(s.tupleOf(s.popN(3)));
                    break;
                case 0x91: // FROZENSET
                    s.push(s.tupleOf(s.popMark()));
                    break;
                case 'l':
                    { // LIST
                        List<Object> items = s.popMark();
                        List<Object> list = s.container(new ArrayList<>());
                        for (Object o : items) {
                            s.append(list, o);
                        }
                        s.push(list);
                        break;
                    }
                case 'd':
                    { // DICT
                        List<Object> items = s.popMark();
                        Map<Object, Object> map = s.container(new LinkedHashMap<>());
                        s.setItems(map, items);
                        s.push(map);
                        break;
                    }
                case 'a':
                    { // APPEND
                        Object v = s.pop();
                        s.append(PickleStack.asList(s.peek(), "APPEND"), v);
                        break;
                    }
                case 'e': // APPENDS
                case 0x90:
                    { // ADDITEMS
                        List<Object> items = s.popMark();
                        List<Object> list =
                                PickleStack.asList(s.peek(), op == 'e' ? "APPENDS" : "ADDITEMS");
                        for (Object o : items) {
                            s.append(list, o);
                        }
                        break;
                    }
                case 's':
                    { // SETITEM
                        List<Object> kv = s.popN(2);
                        s.setItems(PickleStack.asMap(s.peek(), "SETITEM"), kv);
                        break;
                    }
                case 'u':
                    { // SETITEMS
                        List<Object> items = s.popMark();
                        s.setItems(PickleStack.asMap(s.peek(), "SETITEMS"), items);
                        break;
                    }
                case 'p': // PUT (text)
                    s.memoPut(PickleValues.textIndex(in.readLine(MAX_LINE)));
                    break;
                case 'q': // BINPUT
                    s.memoPut(in.readByte());
                    break;
                case 'r': // LONG_BINPUT
                    s.memoPut(in.readLittleEndian(4) & 0xffffffffL);
                    break;
                case 0x94: // MEMOIZE
                    s.memoPut(s.memoSize());
                    break;
                case 'g': // GET (text)
                    s.memoGet(PickleValues.textIndex(in.readLine(MAX_LINE)));
                    break;
                case 'h': // BINGET
                    s.memoGet(in.readByte());
                    break;
                case 'j': // LONG_BINGET
                    s.memoGet(in.readLittleEndian(4) & 0xffffffffL);
                    break;
                case 'c':
                    { // GLOBAL
                        String module = in.readLine(MAX_LINE);
                        s.push(PickleCalls.global(module, in.readLine(MAX_LINE)));
                        break;
                    }
                case 0x93:
                    { // STACK_GLOBAL
                        Object name = s.pop();
                        Object module = s.pop();
                        if (!(module instanceof String) || !(name instanceof String)) {
                            throw new Refusal(
                                    "STACK_GLOBAL expects two strings, got "
                                            + PickleValues.typeName(module)
                                            + " and "
                                            + PickleValues.typeName(name));
                        }
                        s.push(PickleCalls.global((String) module, (String) name));
                        break;
                    }
                case 'Q':
                    { // BINPERSID
                        Object pid = s.pop();
                        if (!PickleValues.isTuple(pid)) {
                            throw new Refusal(
                                    "persistent id must be a tuple, got "
                                            + PickleValues.typeName(pid));
                        }
                        @SuppressWarnings("unchecked")
                        List<Object> t = (List<Object>) pid;
                        Storage storage = loader.load(t);
                        if (storagesSeen.add(storage)) {
                            storageBytes += storage.numel() * storage.dtype().itemSize();
                        }
                        s.push(storage);
                        break;
                    }
                case 'R':
                    { // REDUCE
                        Object args = s.pop();
                        Object callable = s.pop();
                        s.push(calls.reduce(callable, args));
                        break;
                    }
                case 'b':
                    { // BUILD
                        Object state = s.pop();
                        calls.build(s.peek(), state);
                        break;
                    }
                case 0x81: // NEWOBJ
                case 0x92: // NEWOBJ_EX
                case 'i': // INST
                case 'o': // OBJ
                    throw new Refusal(
                            "refusing to construct an object (opcode "
                                    + opName(op)
                                    + "); "
                                    + PickleAllowList.SUMMARY);
                case 0x82:
                case 0x83:
                case 0x84: // EXT1/2/4
                    throw new Refusal(
                            "refusing extension-registry global (opcode "
                                    + opName(op)
                                    + "); "
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

    /**
     * Refuses tensors that would expand a small file into a huge allocation (e.g. stride-0 views).
     */
    void chargeTensor(long bytes, String what) {
        tensorBytes += bytes;
        long limit = EXPANSION_FACTOR * storageBytes + EXPANSION_SLACK;
        if (tensorBytes > limit) {
            throw new Refusal(
                    what
                            + ": tensors would materialise "
                            + tensorBytes
                            + " bytes from "
                            + storageBytes
                            + " bytes of storage (limit "
                            + EXPANSION_FACTOR
                            + "x + 64 MiB); refusing as a memory bomb");
        }
    }
}
