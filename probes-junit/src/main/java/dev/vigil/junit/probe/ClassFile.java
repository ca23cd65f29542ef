package dev.vigil.junit.probe;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one class file's constant pool holds, read without loading the class: the calls that end
 * the JVM and the classes named; and its access flags and superclass. Immutable.
 *
 * @param exits the calls to {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, as {@code System.exit}
 * @param classes the internal names ({@code com/acme/Helper}) of the classes named: referred to, or in a descriptor or signature
 * @param access the class's access flags ({@link #ACC_ABSTRACT}, {@link #ACC_INTERFACE} ...)
 * @param superclass the internal name of its superclass, or {@code null} for {@code java/lang/Object} itself
 */
record ClassFile(List<String> exits, List<String> classes, int access, String superclass) {

    /** The access flag of an interface. */
    static final int ACC_INTERFACE = 0x0200;
    /** The access flag of an abstract class (and of an interface). */
    static final int ACC_ABSTRACT = 0x0400;

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int METHODREF = 10;
    private static final int NAME_AND_TYPE = 12;
    /** A class named in a descriptor or signature: {@code Lcom/acme/Helper;}, {@code Lcom/acme/Box<...>;}. */
    private static final Pattern DESCRIBED = Pattern.compile("L([\\p{javaJavaIdentifierPart}/$]+)[;<]");

    /**
     * Reads a class file's constant pool.
     *
     * @throws IOException when the stream cannot be read or holds no class file this reader understands
     */
    static ClassFile read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8 -> utf8[i] = in.readUTF();
                case CLASS, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 9, METHODREF, 11, NAME_AND_TYPE, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> exits = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tags[i] == UTF8) {
                // Descriptors and signatures name classes too: an annotation's class value (@ExtendWith), a parameter type.
                Matcher named = DESCRIBED.matcher(utf8[i]);
                while (named.find()) {
                    classes.add(named.group(1));
                }
            } else if (tags[i] == CLASS && !utf8[first[i]].startsWith("[")) {
                classes.add(utf8[first[i]]);
            } else if (tags[i] == METHODREF) {
                String owner = utf8[first[first[i]]];
                String method = utf8[first[second[i]]];
                if (owner.equals("java/lang/System") && method.equals("exit")
                        || owner.equals("java/lang/Runtime") && (method.equals("exit") || method.equals("halt"))) {
                    exits.add(owner.substring("java/lang/".length()) + "." + method);
                }
            }
        }
        int access = in.readUnsignedShort();
        in.readUnsignedShort();
        int superIndex = in.readUnsignedShort();
        return new ClassFile(exits, classes, access, superIndex == 0 ? null : utf8[first[superIndex]]);
    }

    /** The jar or folder a resource comes from: its URL without the resource's path. */
    static String root(URL url, String resource) {
        String text = url.toString();
        return text.endsWith(resource) ? text.substring(0, text.length() - resource.length()) : text;
    }
}
