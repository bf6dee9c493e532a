package dev.atelier.imagebuild;

/** Build specifications for tests, with their user texts stored where {@link BuildBlobs} says. */
public final class BuildSpecs {

    public static final String BUCKET = "atelier-blobs";

    private BuildSpecs() { }

    public static BuildSpec linux(String preBuild, String requirements, String postBuild) {
        return spec(BuildSpec.Os.LINUX, null, preBuild, requirements, postBuild);
    }

    public static BuildSpec spec(BuildSpec.Os os, BuildSpec.Gpu gpu, String preBuild, String requirements, String postBuild) {
        return spec(BUCKET, "b-01hx7", os, gpu, preBuild, requirements, postBuild);
    }

    public static BuildSpec spec(String bucket, String buildId, BuildSpec.Os os, BuildSpec.Gpu gpu,
                                 String preBuild, String requirements, String postBuild) {
        return new BuildSpec("acme", "d-42", 3, buildId, os, 2, 8, "3.12", gpu,
                os == BuildSpec.Os.WINDOWS ? "ami-0abc1234def567890"
                        : "arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x",
                BuildBlobs.location(bucket, "acme", "d-42", 3, os, BuildBlobs.Kind.PRE_BUILD_SCRIPT, preBuild),
                BuildBlobs.location(bucket, "acme", "d-42", 3, os, BuildBlobs.Kind.POST_BUILD_SCRIPT, postBuild),
                BuildBlobs.location(bucket, "acme", "d-42", 3, os, BuildBlobs.Kind.REQUIREMENTS, requirements));
    }
}
