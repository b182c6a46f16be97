package org.ijdiffusion.plugin.layout;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The artifacts that pom-scijava (Fiji's bill of materials) manages, {@code groupId:artifactId -> version},
 * read from its pom file: the dependencyManagement entries, their {@code ${...}} versions resolved through
 * the pom's own properties.
 */
public final class BomVersions {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, String> managed;

    private BomVersions(Map<String, String> managed) {
        this.managed = managed;
    }

    public static BomVersions read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        Document doc = f.newDocumentBuilder().parse(pom.toFile());
        Element project = doc.getDocumentElement();
        Map<String, String> props = new HashMap<>();
        props.put("project.version", text(project, "version"));
        Element properties = child(project, "properties");
        if (properties != null) {
            NodeList all = properties.getChildNodes();
            for (int i = 0; i < all.getLength(); i++) {
                if (all.item(i) instanceof Element e) {
                    props.put(e.getTagName(), e.getTextContent().trim());
                }
            }
        }
        Map<String, String> managed = new TreeMap<>();
        Element dm = child(project, "dependencyManagement");
        Element deps = dm == null ? null : child(dm, "dependencies");
        if (deps == null) {
            throw new IllegalArgumentException(pom + " has no dependencyManagement: not pom-scijava?");
        }
        NodeList list = deps.getElementsByTagName("dependency");
        for (int i = 0; i < list.getLength(); i++) {
            Element d = (Element) list.item(i);
            String ga = resolve(text(d, "groupId"), props) + ":" + resolve(text(d, "artifactId"), props);
            managed.put(ga, resolve(text(d, "version"), props));
        }
        return new BomVersions(managed);
    }

    /** The version the BOM manages for this artifact, or null when it does not manage it. */
    public String version(String groupId, String artifactId) {
        return managed.get(groupId + ":" + artifactId);
    }

    public int size() {
        return managed.size();
    }

    private static String resolve(String value, Map<String, String> props) {
        String v = value;
        for (int depth = 0; depth < 20 && v != null && v.contains("${"); depth++) {
            Matcher m = PROPERTY.matcher(v);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String p = props.get(m.group(1));
                m.appendReplacement(b, Matcher.quoteReplacement(p == null ? m.group() : p));
            }
            m.appendTail(b);
            if (b.toString().equals(v)) {
                break;
            }
            v = b.toString();
        }
        return v;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
