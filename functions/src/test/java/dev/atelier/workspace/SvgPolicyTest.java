package dev.atelier.workspace;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The SVG logo policy on its own: what passes, and what is refused (no engine needed). */
class SvgPolicyTest {

    private static final String NS = "xmlns=\"http://www.w3.org/2000/svg\"";

    private static byte[] svg(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<svg " + NS + " viewBox=\"0 0 1 1\"><path d=\"M0 0h1v1z\" fill=\"#fff\"/></svg>",
            "<svg " + NS + "><defs><radialGradient id=\"r\"/></defs><circle r=\"1\" fill=\"url( #r )\"/></svg>",
            "<svg " + NS + " xmlns:xlink=\"http://www.w3.org/1999/xlink\"><symbol id=\"s\"/><use xlink:href=\"#s\"/></svg>",
            "<svg " + NS + "><style>.a { fill: url(\"#g\"); stroke: red }</style><!-- a comment --><g class=\"a\"/></svg>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><svg " + NS + "><text x=\"0\">Acme &amp; Co</text></svg>",
    })
    void check_shouldAcceptOrdinaryLogos(String logo) {
        assertThat(SvgPolicy.problem(svg(logo))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<svg " + NS + " ONLOAD=\"alert(1)\"/>",
            "<svg:svg xmlns:svg=\"http://www.w3.org/2000/svg\"><svg:script>alert(1)</svg:script></svg:svg>",
            "<svg " + NS + "><rect style=\"fill: u\\72l(https://evil.example/a)\"/></svg>",
            "<svg " + NS + "><style>.a { background: \\75rl(https://evil.example) }</style></svg>",
            "<svg " + NS + "><use href=\"  https://evil.example/a.svg#x\"/></svg>",
            "<svg " + NS + "><use href=\"&#x6a;avascript:alert(1)\"/></svg>",
            "<svg " + NS + "><rect fill=\"url(//evil.example/x)\"/></svg>",
            "<svg " + NS + "><rect mask=\"url('https://evil.example/m')\"/></svg>",
            "<svg " + NS + "><style>@IMPORT 'x.css';</style></svg>",
            "<svg " + NS + " xml:base=\"https://evil.example/\"/>",
            "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><svg " + NS + "><text>&b;</text></svg>",
            "<svg><rect/></svg>",
            "<svg " + NS + "><iframe/></svg>",
            "<svg " + NS + "><animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg>",
    })
    void check_shouldRefuseWhatCouldRunOrLoad(String logo) {
        assertThat(SvgPolicy.problem(svg(logo))).isPresent();
    }
}
