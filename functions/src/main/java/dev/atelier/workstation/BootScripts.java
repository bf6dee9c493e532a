package dev.atelier.workstation;

import jakarta.inject.Singleton;

/**
 * The boot script (EC2 user data) of a workstation: it puts in place a service that mounts the
 * home volume whenever it is attached (it arrives after the instance runs, and again on a new
 * instance after an update), formatting it only when it is new. Linux: {@code /home}, by the
 * file system label {@code atelier-home}; Windows: drive {@code H:}, labelled {@code AtelierHome}.
 */
@Singleton
public class BootScripts {

    static final String LINUX_LABEL = "atelier-home";
    static final String WINDOWS_LABEL = "AtelierHome";

    public String userData(WorkstationItem w) {
        return "windows".equals(w.os()) ? windows() : linux();
    }

    static String linux() {
        return """
                #!/bin/bash
                # Atelier: mount the workstation's home volume on /home whenever it is attached.
                set -euo pipefail
                cat > /usr/local/sbin/atelier-home <<'SCRIPT'
                #!/bin/bash
                set -euo pipefail
                root=$(lsblk -no PKNAME "$(findmnt -no SOURCE /)" | head -1)
                while true; do
                  if mountpoint -q /home && [ "$(findmnt -no LABEL /home)" = "%1$s" ]; then exit 0; fi
                  dev=$(blkid -L %1$s || true)
                  if [ -z "$dev" ]; then
                    for d in $(lsblk -dpno NAME,TYPE | awk '$2=="disk"{print $1}'); do
                      [ "$(basename "$d")" = "$root" ] && continue
                      if [ -z "$(lsblk -no FSTYPE "$d" | tr -d '[:space:]')" ]; then
                        mkfs.ext4 -q -L %1$s "$d"; dev="$d"
                        tmp=$(mktemp -d); mount "$d" "$tmp"; cp -a /home/. "$tmp"/; umount "$tmp"
                        break
                      fi
                    done
                  fi
                  if [ -n "$dev" ]; then mount -L %1$s /home; exit 0; fi
                  sleep 5
                done
                SCRIPT
                chmod 0755 /usr/local/sbin/atelier-home
                cat > /etc/systemd/system/atelier-home.service <<'UNIT'
                [Unit]
                Description=Atelier home volume
                After=local-fs.target
                [Service]
                Type=oneshot
                ExecStart=/usr/local/sbin/atelier-home
                RemainAfterExit=yes
                [Install]
                WantedBy=multi-user.target
                UNIT
                systemctl daemon-reload
                systemctl enable --now --no-block atelier-home.service
                """.formatted(LINUX_LABEL);
    }

    static String windows() {
        return """
                <powershell>
                # Atelier: bring the workstation's home volume online as H: whenever it is attached.
                $script = @'
                while ($true) {
                  $vol = Get-Volume -FileSystemLabel '%1$s' -ErrorAction SilentlyContinue
                  if ($vol) {
                    if ($vol.DriveLetter -ne 'H') { Get-Partition -Volume $vol | Set-Partition -NewDriveLetter H }
                    break
                  }
                  Get-Disk | Where-Object IsOffline | Set-Disk -IsOffline $false
                  $raw = Get-Disk | Where-Object PartitionStyle -eq 'RAW' | Select-Object -First 1
                  if ($raw) {
                    $raw | Initialize-Disk -PartitionStyle GPT -PassThru |
                      New-Partition -DriveLetter H -UseMaximumSize |
                      Format-Volume -FileSystem NTFS -NewFileSystemLabel '%1$s' -Confirm:$false
                    break
                  }
                  Start-Sleep -Seconds 5
                }
                '@
                New-Item -ItemType Directory -Force -Path C:\\ProgramData\\Atelier | Out-Null
                Set-Content -Path C:\\ProgramData\\Atelier\\home.ps1 -Value $script
                $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '-NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\Atelier\\home.ps1'
                $trigger = New-ScheduledTaskTrigger -AtStartup
                Register-ScheduledTask -TaskName 'AtelierHome' -Action $action -Trigger $trigger -User 'SYSTEM' -RunLevel Highest -Force
                Start-ScheduledTask -TaskName 'AtelierHome'
                </powershell>
                <persist>false</persist>
                """.formatted(WINDOWS_LABEL);
    }
}
