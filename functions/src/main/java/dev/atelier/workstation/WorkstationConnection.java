package dev.atelier.workstation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What a person needs to open a workstation's desktop now (API.md, "Workstations"): the
 * {@code command} that opens the tunnel (the session token inside it, so shown only here), and
 * then the {@code url} to open (Amazon DCV) or the {@code file} to open (RDP). Usable until
 * {@code expiresAt}.
 */
@Serdeable
public record WorkstationConnection(String protocol, @Nullable String url, @Nullable String file, String command,
                                    String expiresAt) { }
