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
 * the JVM and the classes named; and its access flags, superclass and methods. Immutable.
 *
 * @param exits the calls to {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, as {@code System.exit}
 * @param classes the internal names ({@code com/acme/Helper}) of the classes named: referred to, or in a descriptor or signature
 * @param access the class's access flags ({@link #ACC_ABSTRACT}, {@link #ACC_INTERFACE} ...)
 * @param superclass the internal name of its superclass, or {@code null} for {@code java/lang/Object} itself
 * @param methods the methods it declares
 */
record ClassFile(List<String> exits, List<String> classes, int access, String superclass, List<Method> methods) {

    /** The access flag of a public class or method. */
    static final int ACC_PUBLIC = 0x0001;

    /** The access flag of an interface. */
    static final int ACC_INTERFACE = 0x0200;
    /** The access flag of an abstract class (and of an interface). */
    static final int ACC_ABSTRACT = 0x0400;

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int METHODREF = 10;
    private static final int NAME_AND_TYPE = 12;
    /** The attribute holding the annotations a method keeps at run time, as {@code @Test} is. */
    private static final String RUNTIME_ANNOTATIONS = "RuntimeVisibleAnnotations";
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
        in.skipNBytes(2L * in.readUnsignedShort());
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
        int declared = in.readUnsignedShort();
        List<Method> methods = new ArrayList<>(declared);
        for (int i = 0; i < declared; i++) {
            int flags = in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            String descriptor = utf8[in.readUnsignedShort()];
            List<String> annotations = new ArrayList<>();
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                long length = in.readInt() & 0xFFFFFFFFL;
                if (RUNTIME_ANNOTATIONS.equals(attribute)) {
                    int n = in.readUnsignedShort();
                    for (int k = 0; k < n; k++) {
                        annotations.add(annotation(in, utf8));
                    }
                } else {
                    in.skipNBytes(length);
                }
            }
            methods.add(new Method(flags, name, descriptor, List.copyOf(annotations)));
        }
        return new ClassFile(exits, classes, access, superIndex == 0 ? null : utf8[first[superIndex]], List.copyOf(methods));
    }

    /**
     * One method a class declares.
     *
     * @param access its access flags ({@link #ACC_PUBLIC} ...)
     * @param name its name
     * @param descriptor its descriptor: {@code ()V} takes nothing and returns nothing
     * @param annotations the descriptors of the annotations it keeps at run time: {@code Lorg/junit/Test;}
     */
    record Method(int access, String name, String descriptor, List<String> annotations) {
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            in.readUnsignedShort();
            in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
    }

    /** Reads one annotation, returning its type's descriptor and skipping its values. */
    private static String annotation(DataInputStream in, String[] utf8) throws IOException {
        String type = utf8[in.readUnsignedShort()];
        int pairs = in.readUnsignedShort();
        for (int i = 0; i < pairs; i++) {
            in.readUnsignedShort();
            skipValue(in, utf8);
        }
        return type;
    }

    /** Skips one element value of an annotation (JVMS 4.7.16.1). */
    private static void skipValue(DataInputStream in, String[] utf8) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 'e' -> in.skipNBytes(4);
            case '@' -> annotation(in, utf8);
            case '[' -> {
                int n = in.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    skipValue(in, utf8);
                }
            }
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 's', 'c' -> in.skipNBytes(2);
            default -> throw new IOException("unknown annotation value tag " + (char) tag);
        }
    }

    /** The jar or folder a resource comes from: its URL without the resource's path. */
    static String root(URL url, String resource) {
        String text = url.toString();
        return text.endsWith(resource) ? text.substring(0, text.length() - resource.length()) : text;
    }
}
