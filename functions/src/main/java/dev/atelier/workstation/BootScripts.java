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
        return "windows".equals(w.os()) ? windows(w.id()) : linux(w.id());
    }

    static String linux(String workstationId) {
        return linux() + linuxAgent(workstationId);
    }

    static String windows(String workstationId) {
        return windows().replace("</powershell>", windowsAgent(workstationId) + "</powershell>");
    }

    /**
     * The idleness agent (Linux): a systemd timer that every minute publishes {@code Active} (input
     * on a session — {@code who}/{@code loginctl} idle times, DCV/X sessions included — within the
     * minute, or CPU or GPU above {@value WorkstationMetrics#BUSY_CPU_PERCENT} %), CPU, memory and,
     * with {@code nvidia-smi}, GPU and GPU memory, to {@value WorkstationMetrics#NAMESPACE} with
     * the instance profile's credentials; and warns the desktop users ({@code notify-send}, else
     * {@code wall}) when the idle alarm is about to stop the box (the settings are read from the
     * instance's tags {@code atelier:idle-minutes} and {@code atelier:warn-minutes} when present).
     */
    static String linuxAgent(String workstationId) {
        return """
                cat > /usr/local/sbin/atelier-activity <<'SCRIPT'
                #!/bin/bash
                # Atelier idleness agent: one sample a minute.
                set -uo pipefail
                ws="%1$s"
                token=$(curl -s -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
                md() { curl -s -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/$1"; }
                instance=$(md meta-data/instance-id); region=$(md meta-data/placement/region)
                read -r _ u n s i w x y z _ < /proc/stat; sleep 5; read -r _ u2 n2 s2 i2 w2 x2 y2 z2 _ < /proc/stat
                busy=$(( (u2+n2+s2+x2+y2+z2) - (u+n+s+x+y+z) )); all=$(( busy + (i2+w2) - (i+w) ))
                cpu=$(( all > 0 ? 100 * busy / all : 0 ))
                mem=$(awk '/MemTotal/{t=$2}/MemAvailable/{a=$2}END{printf "%%d", 100*(t-a)/t}' /proc/meminfo)
                input=0
                # Seconds since the last input on any terminal or graphical session (who -u idle, loginctl IdleSinceHint).
                while read -r sid; do
                  hint=$(loginctl show-session "$sid" -p IdleHint -p IdleSinceHint --value 2>/dev/null | tr '\\n' ' ')
                  set -- $hint
                  if [ "${1:-yes}" = "no" ]; then input=1; fi
                  if [ -n "${2:-}" ] && [ "${2:-0}" -gt 0 ] && [ $(( $(date +%%s) - ${2} / 1000000 )) -lt 60 ]; then input=1; fi
                done < <(loginctl list-sessions --no-legend 2>/dev/null | awk '{print $1}')
                if who -u 2>/dev/null | awk '$6=="." {f=1} END{exit !f}'; then input=1; fi
                gpu=""; gmem=""
                if command -v nvidia-smi >/dev/null; then
                  read -r gpu gmem < <(nvidia-smi --query-gpu=utilization.gpu,utilization.memory --format=csv,noheader,nounits | \\
                    awk -F', ' '{if($1>g)g=$1; if($2>m)m=$2} END{print g+0, m+0}')
                fi
                active=0
                if [ "$input" = 1 ] || [ "$cpu" -gt %2$d ] || [ "${gpu:-0}" -gt %3$d ]; then active=1; fi
                data="MetricName=Active,Value=$active,Unit=Count MetricName=CPUUtilization,Value=$cpu,Unit=Percent MetricName=MemoryUtilization,Value=$mem,Unit=Percent"
                [ -n "$gpu" ] && data="$data MetricName=GPUUtilization,Value=$gpu,Unit=Percent MetricName=GPUMemoryUtilization,Value=$gmem,Unit=Percent"
                aws cloudwatch put-metric-data --region "$region" --namespace '%4$s' --dimensions "%5$s=$ws" --metric-data $data
                # Warn before an idle stop: idle for (idle - warn) minutes in a row.
                state=/run/atelier-idle-minutes; idle=$(( active == 1 ? 0 : $(cat $state 2>/dev/null || echo 0) + 1 )); echo $idle > $state
                limit=$(md meta-data/tags/instance/atelier:idle-minutes 2>/dev/null | grep -E '^[0-9]+$' || true)
                warn=$(md meta-data/tags/instance/atelier:warn-minutes 2>/dev/null | grep -E '^[0-9]+$' || true)
                if [ -n "$limit" ] && [ -n "$warn" ] && [ "$idle" -eq $(( limit - warn )) ]; then
                  msg="This workstation stops in $warn minutes unless it is used (or kept alive from the portal)."
                  for u in $(who | awk '{print $1}' | sort -u); do
                    uid=$(id -u "$u"); sudo -u "$u" DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus" notify-send 'Atelier' "$msg" 2>/dev/null || true
                  done
                  wall "$msg" 2>/dev/null || true
                fi
                SCRIPT
                chmod 0755 /usr/local/sbin/atelier-activity
                cat > /etc/systemd/system/atelier-activity.service <<'UNIT'
                [Unit]
                Description=Atelier idleness agent (one sample)
                [Service]
                Type=oneshot
                ExecStart=/usr/local/sbin/atelier-activity
                UNIT
                cat > /etc/systemd/system/atelier-activity.timer <<'UNIT'
                [Unit]
                Description=Atelier idleness agent, every minute
                [Timer]
                OnBootSec=1min
                OnUnitActiveSec=1min
                AccuracySec=5s
                [Install]
                WantedBy=timers.target
                UNIT
                systemctl daemon-reload
                systemctl enable --now atelier-activity.timer
                """.formatted(workstationId, WorkstationMetrics.BUSY_CPU_PERCENT, WorkstationMetrics.BUSY_GPU_PERCENT,
                WorkstationMetrics.NAMESPACE, WorkstationMetrics.DIMENSION);
    }

    /**
     * The idleness agent (Windows): a scheduled task every minute — GetLastInputInfo of the
     * interactive session (DCV's too), the processor counter, nvidia-smi when present — publishing
     * the same metrics with the AWS Tools for PowerShell, and a {@code msg} warning before the stop.
     */
    static String windowsAgent(String workstationId) {
        return """
                $agent = @'
                $ws = '%1$s'
                Add-Type @"
                using System; using System.Runtime.InteropServices;
                public static class Idle {
                  [StructLayout(LayoutKind.Sequential)] struct LII { public uint cbSize; public uint dwTime; }
                  [DllImport("user32.dll")] static extern bool GetLastInputInfo(ref LII p);
                  public static uint Seconds() { var l = new LII(); l.cbSize = 8; GetLastInputInfo(ref l);
                    return ((uint)Environment.TickCount - l.dwTime) / 1000; }
                }
                "@
                $cpu = [int](Get-Counter '\\Processor(_Total)\\%% Processor Time' -SampleInterval 5).CounterSamples[0].CookedValue
                $os = Get-CimInstance Win32_OperatingSystem
                $mem = [int](100 * ($os.TotalVisibleMemorySize - $os.FreePhysicalMemory) / $os.TotalVisibleMemorySize)
                $gpu = $null; $gmem = $null
                if (Get-Command nvidia-smi -ErrorAction SilentlyContinue) {
                  $rows = nvidia-smi --query-gpu=utilization.gpu,utilization.memory --format=csv,noheader,nounits
                  $gpu = ($rows | ForEach-Object { [int]($_ -split ',')[0] } | Measure-Object -Maximum).Maximum
                  $gmem = ($rows | ForEach-Object { [int]($_ -split ',')[1] } | Measure-Object -Maximum).Maximum
                }
                $active = if ([Idle]::Seconds() -lt 60 -or $cpu -gt %2$d -or ($gpu -ne $null -and $gpu -gt %3$d)) { 1 } else { 0 }
                $d = New-Object Amazon.CloudWatch.Model.Dimension -Property @{ Name = '%5$s'; Value = $ws }
                $data = @(@('Active', $active, 'Count'), @('CPUUtilization', $cpu, 'Percent'), @('MemoryUtilization', $mem, 'Percent'))
                if ($gpu -ne $null) { $data += ,@('GPUUtilization', $gpu, 'Percent'); $data += ,@('GPUMemoryUtilization', $gmem, 'Percent') }
                $metrics = $data | ForEach-Object { New-Object Amazon.CloudWatch.Model.MetricDatum -Property @{ MetricName = $_[0]; Value = $_[1]; Unit = $_[2]; Dimensions = @($d) } }
                Write-CWMetricData -Namespace '%4$s' -MetricData $metrics
                $file = 'C:\\ProgramData\\Atelier\\idle-minutes'
                $idle = if ($active -eq 1) { 0 } else { [int](Get-Content $file -ErrorAction SilentlyContinue) + 1 }
                Set-Content $file $idle
                try {
                  $limit = [int](Invoke-RestMethod http://169.254.169.254/latest/meta-data/tags/instance/atelier:idle-minutes)
                  $warn = [int](Invoke-RestMethod http://169.254.169.254/latest/meta-data/tags/instance/atelier:warn-minutes)
                  if ($idle -eq ($limit - $warn)) { msg * "Atelier: this workstation stops in $warn minutes unless it is used." }
                } catch { }
                '@
                Set-Content -Path C:\\ProgramData\\Atelier\\activity.ps1 -Value $agent
                $action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '-NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\Atelier\\activity.ps1'
                $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 1)
                Register-ScheduledTask -TaskName 'AtelierActivity' -Action $action -Trigger $trigger -User 'SYSTEM' -RunLevel Highest -Force
                """.formatted(workstationId, WorkstationMetrics.BUSY_CPU_PERCENT, WorkstationMetrics.BUSY_GPU_PERCENT,
                WorkstationMetrics.NAMESPACE, WorkstationMetrics.DIMENSION);
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
