package dev.atelier.workspace;

import dev.atelier.testing.AppUnderTest;
import dev.atelier.testing.Json;
import dev.atelier.testing.Workspaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A workspace's logo over real HTTP: upload, read, back to the default. */
@SuppressWarnings("unchecked")
class LogoApiTest extends AppUnderTest {

    /** A 1×1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};
    static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">"
            + "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#fff\"/></linearGradient></defs>"
            + "<rect width=\"10\" height=\"10\" fill=\"url(#g)\" style=\"stroke: red\"/></svg>";

    private static String logo(String slug) {
        return "/api/v1/workspaces/" + slug + "/logo";
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void put_shouldStoreAPng_andEveryMemberCanReadItBack() {
        // GIVEN a workspace
        Workspaces.Team team = workspaces.team();
        long requestsBefore = app.dynamoDbRequests().total();

        // WHEN a settings manager uploads a PNG
        HttpResponse<byte[]> put = app.sendBytes("PUT", logo(team.slug()), team.manager().token(), PNG, "image/png");

        // THEN 204 with the new ETag, in two DynamoDB requests (facts, one transaction)
        assertThat(put.statusCode()).isEqualTo(204);
        assertThat(put.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(app.dynamoDbRequests().total() - requestsBefore).isEqualTo(2);
        // AND a member without any settings action reads the same bytes, typed and not sniffable
        HttpResponse<byte[]> get = app.sendBytes("GET", logo(team.slug()), team.member().token(), null, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(PNG);
        assertThat(get.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(get.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // AND the workspace view describes it
        Map<String, Object> view = Json.object(app.send("GET", "/api/v1/workspaces/" + team.slug(),
                team.member().token(), null).body());
        assertThat((Map<Object, Object>) (Map<?, ?>) view.get("logo")).containsEntry("contentType", "image/png").containsKey("updatedAt");
        // AND the audit log has the change
        assertThat(workspaces.audit(team.slug()).get(0).action()).isEqualTo("workspace.logo.set");
    }

    @Test
    void put_shouldStoreACleanSvg_servedWithAStrictContentSecurityPolicy() {
        Workspaces.Team team = workspaces.team();
        assertThat(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), SVG.getBytes(StandardCharsets.UTF_8),
                "image/svg+xml; charset=utf-8").statusCode()).isEqualTo(204);
        HttpResponse<byte[]> get = app.sendBytes("GET", logo(team.slug()), team.owner().token(), null, null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(get.headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; style-src 'unsafe-inline'");
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).contains("<rect").contains("url(#g)");
    }

    @Test
    void put_shouldReplaceTheLogo_andDeleteShouldGoBackToTheDefault() {
        Workspaces.Team team = workspaces.team();
        app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "image/png");
        assertThat(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), JPEG, "image/jpeg").statusCode())
                .isEqualTo(204);
        HttpResponse<byte[]> get = app.sendBytes("GET", logo(team.slug()), team.owner().token(), null, null);
        assertThat(get.body()).isEqualTo(JPEG);

        assertThat(app.sendBytes("DELETE", logo(team.slug()), team.manager().token(), null, null).statusCode())
                .isEqualTo(204);
        assertProblem(app.sendBytes("GET", logo(team.slug()), team.owner().token(), null, null), 404);
        assertThat(Json.object(app.send("GET", "/api/v1/workspaces/" + team.slug(), team.owner().token(), null).body()))
                .containsEntry("logo", null);
        assertThat(workspaces.audit(team.slug()).get(0).action()).isEqualTo("workspace.logo.delete");
    }

    @Test
    void get_shouldAnswer404_whenThereIsNoLogo() {
        Workspaces.Team team = workspaces.team();
        assertProblem(app.sendBytes("GET", logo(team.slug()), team.owner().token(), null, null), 404);
    }

    @Test
    void logoRoutes_shouldAnswerEachKindOfCaller() {
        Workspaces.Team team = workspaces.team();
        String path = logo(team.slug());
        int before = app.itemCount();
        assertProblem(app.sendBytes("PUT", path, null, PNG, "image/png"), 401);
        assertProblem(app.sendBytes("PUT", path, team.outsider().token(), PNG, "image/png"), 404);
        assertProblem(app.sendBytes("PUT", path, team.member().token(), PNG, "image/png"), 403);
        assertProblem(app.sendBytes("DELETE", path, team.member().token(), null, null), 403);
        assertProblem(app.sendBytes("GET", path, null, null, null), 401);
        assertProblem(app.sendBytes("GET", path, team.outsider().token(), null, null), 404);
        assertThat(app.itemCount()).isEqualTo(before);
        assertThat(app.sendBytes("PUT", path, team.owner().token(), PNG, "image/png").statusCode()).isEqualTo(204);
    }

    @Test
    void put_shouldAnswer415_forAnotherType() {
        Workspaces.Team team = workspaces.team();
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "image/gif"), 415);
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "text/html"), 415);
    }

    @Test
    void put_shouldAnswer413_aboveOneMebibyte() {
        Workspaces.Team team = workspaces.team();
        byte[] big = Arrays.copyOf(PNG, 1024 * 1024 + 1);
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), big, "image/png"), 413);
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), Arrays.copyOf(PNG, 3 * 1024 * 1024),
                "image/png"), 413);
    }

    @Test
    void put_shouldAnswer400_whenTheContentIsNotTheType() {
        Workspaces.Team team = workspaces.team();
        int before = app.itemCount();
        HttpResponse<byte[]> response = app.sendBytes("PUT", logo(team.slug()), team.owner().token(), JPEG, "image/png");
        assertProblem(response, 400);
        assertThat(Json.errorFields(new String(response.body(), StandardCharsets.UTF_8))).containsExactly("logo");
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "image/jpeg"), 400);
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "image/svg+xml"), 400);
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), new byte[0], "image/png"), 400);
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><use xlink:href=\"https://evil.example/x.svg#a\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"javascript:alert(1)\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"url(https://evil.example/a)\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@import url(https://evil.example/a.css);</style></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"width: expression(alert(1))\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill: url( 'data:image/png;base64,AAAA' )\"/></svg>",
            "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"#x\"><rect/></a></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"#x\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><set attributeName=\"href\" to=\"javascript:alert(1)\"/></svg>",
            "<?xml-stylesheet href=\"https://evil.example/a.xsl\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "<html><body>not svg</body></html>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect",
    })
    void put_shouldRefuseAnSvgThatCouldRunOrLoadAnything(String svg) {
        Workspaces.Team team = workspaces.team();
        int before = app.itemCount();
        HttpResponse<byte[]> response = app.sendBytes("PUT", logo(team.slug()), team.owner().token(),
                svg.getBytes(StandardCharsets.UTF_8), "image/svg+xml");
        assertProblem(response, 400);
        assertThat(Json.errorFields(new String(response.body(), StandardCharsets.UTF_8))).containsExactly("logo");
        assertThat(app.itemCount()).isEqualTo(before);
    }

    @Test
    void put_shouldAnswer412_whenIfMatchIsStale() {
        Workspaces.Team team = workspaces.team();
        app.send("PATCH", "/api/v1/workspaces/" + team.slug(), team.owner().token(), "{\"primaryColor\":\"#000000\"}");
        assertProblem(app.sendBytes("PUT", logo(team.slug()), team.owner().token(), PNG, "image/png",
                "If-Match", "\"1\""), 412);
        assertProblem(app.sendBytes("DELETE", logo(team.slug()), team.owner().token(), null, null,
                "If-Match", "\"1\""), 412);
    }
}
