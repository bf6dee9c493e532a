package dev.atelier.mail;

import io.micronaut.context.annotation.Requires;
import dev.atelier.config.AtelierConfig;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/** Mail through Amazon SES (the local AWS engine's SES locally). */
@Singleton
@Requires(classes = SesV2Client.class)
public class SesMail implements Mail {

    private final SesV2Client ses;
    private final String from;

    public SesMail(SesV2Client ses, AtelierConfig config) {
        this.ses = ses;
        this.from = config.mailFrom();
    }

    @Override
    public void send(Message message) {
        try {
            ses.sendEmail(r -> r.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(message.to()))
                    .content(c -> c.simple(s -> s
                            .subject(t -> t.data(message.subject()).charset("UTF-8"))
                            .body(b -> b.text(t -> t.data(message.text()).charset("UTF-8"))))));
        } catch (SesV2Exception e) {
            throw new MailException("The mail service refused the message to " + message.to(), e);
        }
    }

    protected String from() {
        return from;
    }
}
