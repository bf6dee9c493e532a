package dev.atelier.workspace;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an SVG logo may contain. A logo is parsed by a hardened XML parser (no DTD, no entities,
 * nothing fetched), checked against allow-lists of elements and attributes, and refused — never
 * silently repaired — when it holds anything that could run script or load something else:
 * scripts, event handlers, {@code foreignObject}, links outside the document, {@code javascript:}
 * or {@code data:} URLs, CSS {@code url()} other than {@code url(#id)}, {@code @import},
 * {@code expression}. What passes is stored re-serialised from the parsed tree (comments and
 * processing instructions dropped), so the bytes served are the bytes checked.
 */
final class SvgPolicy {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    private static final String XMLNS_NS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;
    private static final String XML_NS = XMLConstants.XML_NS_URI;

    private static final Set<String> ELEMENTS = Set.of("svg", "g", "defs", "symbol", "use", "title", "desc",
            "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
            "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "style",
            "filter", "feGaussianBlur", "feOffset", "feBlend", "feColorMatrix", "feMerge", "feMergeNode",
            "feFlood", "feComposite", "feDropShadow");

    private static final Set<String> ATTRIBUTES = Set.of("id", "class", "style", "version", "viewBox",
            "preserveAspectRatio", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
            "fx", "fy", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
            "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
            "stroke-dashoffset", "opacity", "color", "display", "visibility", "clip-path", "clip-rule",
            "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "offset", "stop-color", "stop-opacity",
            "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits",
            "patternTransform", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
            "dominant-baseline", "alignment-baseline", "letter-spacing", "dx", "dy", "rotate", "textLength",
            "lengthAdjust", "href", "filter", "filterUnits", "primitiveUnits", "in", "in2", "result",
            "stdDeviation", "mode", "type", "values", "operator", "k1", "k2", "k3", "k4", "flood-color",
            "flood-opacity", "role", "aria-label", "aria-hidden", "focusable", "media", "space", "baseProfile");

    private static final Pattern INVISIBLE = Pattern.compile("[\\s\\u0000-\\u001f\\\\]+");
    private static final Pattern URL_FUNCTION = Pattern.compile("url\\(\\s*(['\"]?)(.*?)\\1\\s*\\)");

    private SvgPolicy() { }

    /** Refusal of a logo, saying what was found. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @return the logo re-serialised from the checked tree
     * @throws Refused naming the first thing not allowed, or saying the XML is malformed
     */
    static byte[] check(byte[] svg) throws Refused {
        Document document = parse(svg);
        Element root = document.getDocumentElement();
        if (!"svg".equals(root.getLocalName()) || !SVG_NS.equals(root.getNamespaceURI())) {
            throw new Refused("must be an <svg> document in the SVG namespace");
        }
        checkTree(document);
        return serialise(document);
    }

    private static Document parse(byte[] svg) throws Refused {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setIgnoringComments(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new InputSource(new ByteArrayInputStream(svg)));
        } catch (SAXException e) {
            String reason = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "DOCTYPE declarations are not allowed" : "is not well-formed XML";
            throw new Refused(reason);
        } catch (IOException | ParserConfigurationException e) {
            throw new Refused("is not well-formed XML");
        }
    }

    private static void checkTree(Node node) throws Refused {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.ELEMENT_NODE -> checkElement((Element) child);
                case Node.PROCESSING_INSTRUCTION_NODE ->
                        throw new Refused("processing instructions are not allowed");
                case Node.ENTITY_REFERENCE_NODE, Node.DOCUMENT_TYPE_NODE ->
                        throw new Refused("entities are not allowed");
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> {
                    if ("style".equals(node.getLocalName())) {
                        checkCss(child.getNodeValue());
                    }
                }
                default -> { }
            }
        }
    }

    private static void checkElement(Element element) throws Refused {
        String name = element.getLocalName();
        if (!SVG_NS.equals(element.getNamespaceURI()) || !ELEMENTS.contains(name)) {
            throw new Refused("the element <" + element.getTagName() + "> is not allowed");
        }
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            checkAttribute(element, (Attr) attributes.item(i));
        }
        checkTree(element);
    }

    private static void checkAttribute(Element element, Attr attribute) throws Refused {
        String namespace = attribute.getNamespaceURI();
        String name = attribute.getLocalName() == null ? attribute.getName() : attribute.getLocalName();
        String value = attribute.getValue();
        if (XMLNS_NS.equals(namespace)) {
            return; // namespace declarations: checked through the namespaces of elements and attributes
        }
        if (name.toLowerCase(Locale.ROOT).startsWith("on")) {
            throw new Refused("event handler attributes such as '" + attribute.getName() + "' are not allowed");
        }
        boolean known = namespace == null ? ATTRIBUTES.contains(name)
                : XLINK_NS.equals(namespace) ? name.equals("href") || name.equals("title")
                : XML_NS.equals(namespace) && name.equals("space");
        if (!known) {
            throw new Refused("the attribute '" + attribute.getName() + "' on <" + element.getTagName()
                    + "> is not allowed");
        }
        if (name.equals("href") && !value.strip().startsWith("#")) {
            throw new Refused("links must stay inside the document ('" + attribute.getName() + "' must start with #)");
        }
        checkValue(attribute.getName(), value);
        // Presentation attributes (fill, stroke, clip-path, mask, filter…) take url() as CSS does.
        checkCss(value);
    }

    private static void checkValue(String where, String value) throws Refused {
        String compact = INVISIBLE.matcher(value.toLowerCase(Locale.ROOT)).replaceAll("");
        if (compact.contains("javascript:") || compact.contains("vbscript:") || compact.contains("data:")) {
            throw new Refused("'" + where + "' holds a javascript: or data: URL");
        }
    }

    private static void checkCss(String css) throws Refused {
        if (css.indexOf('\\') >= 0) {
            // CSS escapes can spell url( or javascript: past any textual check (u\72l( is url().
            throw new Refused("CSS escapes (backslashes) are not allowed");
        }
        String lower = css.toLowerCase(Locale.ROOT);
        String compact = INVISIBLE.matcher(lower).replaceAll("");
        if (compact.contains("@import") || compact.contains("expression(") || compact.contains("javascript:")
                || compact.contains("data:") || compact.contains("behavior:") || compact.contains("-moz-binding")) {
            throw new Refused("the style holds @import, expression(), or a script or data URL");
        }
        var urls = URL_FUNCTION.matcher(lower);
        while (urls.find()) {
            if (!urls.group(2).startsWith("#")) {
                throw new Refused("the style loads url(" + urls.group(2) + "); only url(#id) is allowed");
            }
        }
        if (compact.replaceAll("url\\(['\"]?#", "").contains("url(")) {
            throw new Refused("the style holds a url() that is not url(#id)");
        }
    }

    private static byte[] serialise(Document document) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("Could not serialise a checked SVG", e);
        }
    }

    /** The problem of an image, if it is refused; for tests and callers that only ask. */
    static Optional<String> problem(byte[] svg) {
        try {
            check(svg);
            return Optional.empty();
        } catch (Refused r) {
            return Optional.of(r.getMessage());
        }
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) { }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
