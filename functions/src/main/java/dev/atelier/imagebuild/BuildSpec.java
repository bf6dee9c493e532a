package dev.atelier.imagebuild;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything needed to build the image of one version of a workstation definition. User text
 * (scripts, requirements) is not part of it: only where Atelier stored it, as blobs whose
 * locations Atelier generated ({@link BuildBlobs}) and which are checked here against a strict
 * pattern, so nothing a user typed can reach a generated component document.
 *
 * @param workspace       the workspace slug
 * @param definitionId    the workstation definition
 * @param version         the definition's version (1, 2, …)
 * @param buildId         this build; a rebuild of the same version has another id
 * @param os              the operating system of the image
 * @param cpuCores        vCPUs the workstation asks for (1–192)
 * @param memoryGb        memory the workstation asks for, GiB (1–1024)
 * @param pythonVersion   3.10, 3.11 or 3.12
 * @param gpu             the GPU asked for, or {@code null}
 * @param parentImage     an AMI id or an Image Builder image ARN
 * @param preBuildScript  the pre-build script blob
 * @param postBuildScript the post-build script blob
 * @param requirements    the pip requirements blob
 */
public record BuildSpec(
        String workspace,
        String definitionId,
        int version,
        String buildId,
        Os os,
        int cpuCores,
        int memoryGb,
        String pythonVersion,
        Gpu gpu,
        String parentImage,
        BlobLocation preBuildScript,
        BlobLocation postBuildScript,
        BlobLocation requirements) {

    /** The operating systems Atelier builds images for. */
    public enum Os { LINUX, WINDOWS }

    /** A GPU request: its type (see {@link InstanceTypes}) and how many. */
    public record Gpu(String type, int count) {
        public Gpu {
            Objects.requireNonNull(type, "gpu type");
            if (count < 1 || count > 8) {
                throw new IllegalArgumentException("gpu count must be 1–8, was " + count);
            }
        }
    }

    /**
     * Where a blob lies in S3. Only names Atelier generates pass: lower-case bucket names and
     * keys of letters, digits, {@code - _ .} and {@code /}, no {@code ..}, so a location is safe
     * to place in a YAML document or a shell command as it is.
     */
    public record BlobLocation(String bucket, String key) {
        private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
        private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9._-]*){0,15}");

        public BlobLocation {
            if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
                throw new IllegalArgumentException("not a bucket name Atelier generates: " + bucket);
            }
            if (key == null || key.length() > 512 || !KEY.matcher(key).matches() || key.contains("..")) {
                throw new IllegalArgumentException("not a blob key Atelier generates: " + key);
            }
        }

        /** {@code s3://bucket/key}, as the S3Download action takes it. */
        public String uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,39}");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern IMAGE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:imagebuilder:[a-z0-9-]+:(aws|[0-9]{12}):image/[a-z0-9-]{1,126}/"
                    + "([0-9]+|x)\\.([0-9]+|x)\\.([0-9]+|x)(/[0-9]+)?");

    public BuildSpec {
        require(workspace != null && SLUG.matcher(workspace).matches(), "workspace slug", workspace);
        require(definitionId != null && ID.matcher(definitionId).matches(), "definition id", definitionId);
        require(buildId != null && ID.matcher(buildId).matches(), "build id", buildId);
        require(version >= 1, "version", version);
        Objects.requireNonNull(os, "os");
        require(cpuCores >= 1 && cpuCores <= 192, "cpuCores", cpuCores);
        require(memoryGb >= 1 && memoryGb <= 1024, "memoryGb", memoryGb);
        require(PythonVersions.supported(pythonVersion), "pythonVersion", pythonVersion);
        require(parentImage != null && (AMI.matcher(parentImage).matches() || IMAGE_ARN.matcher(parentImage).matches()),
                "parent image", parentImage);
        Objects.requireNonNull(preBuildScript, "preBuildScript");
        Objects.requireNonNull(postBuildScript, "postBuildScript");
        Objects.requireNonNull(requirements, "requirements");
    }

    private static void require(boolean valid, String what, Object value) {
        if (!valid) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }
}
