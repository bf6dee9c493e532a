package dev.atelier.local;

import dev.atelier.config.AtelierConfig;
import dev.atelier.mail.SesMail;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Locally, mail goes through the engine's SES exactly as in AWS, and a copy is written to
 * {@code <data dir>/outbox/} as an {@code .eml} file, since the engine delivers nothing: open it
 * with any mail program, or read it in tests.
 */
@Singleton
@Replaces(SesMail.class)
@Requires(env = "local")
public class LocalOutboxMail extends SesMail {

    private final Path outbox;
    private final Clock clock;

    public LocalOutboxMail(SesV2Client ses, AtelierConfig config, Clock clock) {
        super(ses, config);
        this.outbox = Path.of(config.dataDir() == null ? ".atelier" : config.dataDir()).toAbsolutePath().resolve("outbox");
        this.clock = clock;
    }

    @Override
    public void send(Message message) {
        super.send(message);
        String id = UUID.randomUUID().toString();
        ZonedDateTime now = ZonedDateTime.now(clock);
        String eml = "From: " + from() + "\r\n"
                + "To: " + message.to() + "\r\n"
                + "Subject: " + message.subject() + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(now) + "\r\n"
                + "Message-ID: <" + id + "@atelier.local>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + message.text().replace("\r\n", "\n").replace("\n", "\r\n");
        try {
            Files.createDirectories(outbox);
            String name = now.toInstant().toEpochMilli() + "-" + message.to().replaceAll("[^A-Za-z0-9@._-]", "_")
                    + "-" + id.substring(0, 8) + ".eml";
            Files.writeString(outbox.resolve(name), eml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the outbox " + outbox, e);
        }
    }

    public Path outbox() {
        return outbox;
    }
}
