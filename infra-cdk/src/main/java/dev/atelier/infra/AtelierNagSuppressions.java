package dev.atelier.infra;

import java.util.ArrayList;
import java.util.List;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.IConstruct;

/**
 * The cdk-nag (AwsSolutions) findings Atelier accepts, each on the resource it concerns with the
 * reason it is acceptable for this product. Every other finding of the rule pack is fixed in the
 * stack (NagComplianceTest keeps it so); infra-cdk/README.md lists both.
 */
final class AtelierNagSuppressions {

    private AtelierNagSuppressions() { }

    static void addTo(AtelierStack stack) {
        BuildWorkflow builds = stack.getBuildWorkflow();
        List<Function> applicationFunctions = List.of(stack.getApiFunction(), stack.getBootstrapFunction(),
                builds.getStepsFunction(), builds.getEventsFunction());

        // ---- Lambda runtime ---------------------------------------------------------------
        for (Function function : applicationFunctions) {
            suppress(function, false, rule("AwsSolutions-L1", "The application is compiled for Java 17 (release 17) "
                    + "and its whole test suite runs on Java 17; java17 is a supported Lambda runtime with SnapStart. "
                    + "The runtime moves together with the application's own Java version, not ahead of it."));
        }

        // ---- Grants on Atelier's own data ---------------------------------------------------
        String table = "<" + logicalId(stack.getTable()) + ".Arn>";
        String blobBucket = "<" + logicalId(stack.getBlobBucket()) + ".Arn>";
        NagPackSuppression keyGrant = rule("AwsSolutions-IAM5", "CDK's grant on the Atelier key: the wildcards "
                + "span GenerateDataKey/GenerateDataKeyWithoutPlaintext and ReEncryptFrom/ReEncryptTo, on that one "
                + "key only (the statement's resource), which encrypts the table, the blob bucket and the secret.",
                "Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*");
        NagPackSuppression tableIndexes = rule("AwsSolutions-IAM5", "Queries run on the Atelier table's global "
                + "secondary indexes (TableDefinition.indexes()); the wildcard names the indexes of that table only.",
                "Resource::" + table + "/index/*");
        NagPackSuppression blobObjects = rule("AwsSolutions-IAM5", "CDK's read-write grant on the blob bucket: "
                + "object actions (get, put, delete, abort multipart uploads, list) on the objects of that bucket "
                + "only; object keys are per workspace and build, not known when deploying.",
                "Action::s3:Abort*", "Action::s3:DeleteObject*", "Action::s3:GetBucket*", "Action::s3:GetObject*",
                "Action::s3:List*", "Resource::" + blobBucket + "/*");
        String imageBuilderResources = "Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:<AWS::AccountId>:*/atelier-*";
        NagPackSuppression atelierImageBuilderResources = rule("AwsSolutions-IAM5", "Image Builder resources are "
                + "created per build, named atelier-<build>...; the wildcard is limited to that prefix in this "
                + "account and region.", imageBuilderResources);

        suppress(stack.getApiFunction().getRole(), true, keyGrant, tableIndexes, blobObjects, atelierImageBuilderResources);
        suppress(stack.getBootstrapFunction().getRole(), true, keyGrant, tableIndexes);
        suppress(builds.getEventsFunction().getRole(), true, keyGrant, tableIndexes, atelierImageBuilderResources);
        suppress(builds.getStepsFunction().getRole(), true, keyGrant, tableIndexes, blobObjects,
                atelierImageBuilderResources,
                rule("AwsSolutions-IAM5", "Recipes start from Amazon's managed parent images (Amazon Linux 2023, "
                        + "Windows Server 2022), read as imagebuilder:GetImage on aws:image/* of this region.",
                        "Resource::arn:<AWS::Partition>:imagebuilder:<AWS::Region>:aws:image/*"),
                rule("AwsSolutions-IAM5", "ec2:DescribeImages (looking up a recipe's parent AMI) has no "
                        + "resource-level permissions: IAM accepts only \"*\" for it.", "Resource::*"));

        // ---- Image builds -------------------------------------------------------------------
        suppress(builds.getInstanceRole(), true,
                rule("AwsSolutions-IAM4", "The two AWS managed policies Image Builder documents for build "
                        + "instances (Systems Manager agent, Image Builder's own component and log access); AWS keeps "
                        + "them in step with the services.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/EC2InstanceProfileForImageBuilder"),
                rule("AwsSolutions-IAM5", "Build instances read the definition's files under workspaces/ and "
                        + "write their logs under image-builder-logs/ of the blob bucket; object names carry the "
                        + "workspace and build, so the prefixes are the narrowest fixed scope.",
                        "Resource::" + blobBucket + "/workspaces/*", "Resource::" + blobBucket + "/image-builder-logs/*"));
        suppress(builds.getStateMachine(), true,
                rule("AwsSolutions-SF1", "Errors only, without execution data: Step Functions keeps every "
                        + "execution's full history for 90 days and each build's status and failure reason are "
                        + "recorded on the build in the table; logging all events would repeat that history."),
                rule("AwsSolutions-IAM5", "Invoking the build-steps function's versions and aliases "
                        + "(<function ARN>:*, CDK's Lambda task grant), and X-Ray trace upload, which has no "
                        + "resource-level permissions.",
                        "Resource::<" + logicalId(builds.getStepsFunction()) + ".Arn>:*", "Resource::*"));

        // ---- API ------------------------------------------------------------------------------
        suppress(stack.getHttpApi(), true, rule("AwsSolutions-APIG4", "The application authorizes every request "
                + "itself: every /api request but the sign-in routes carries a bearer token, an Atelier token or a "
                + "Cognito id token, checked in the function before the caller's grants are (docs/identity.md). "
                + "An API Gateway JWT authorizer could not check Atelier tokens and must leave sign-in open anyway. "
                + "GET /health is a public liveness check."));

        // ---- Identity -------------------------------------------------------------------------
        suppress(stack.getUserPool(), false,
                rule("AwsSolutions-COG1", "Passwords are at least 12 characters (the rule asks 8) with lower and "
                        + "upper case and digits; symbols are not required, following NIST SP 800-63B's advice "
                        + "against composition rules. The local identity provider enforces the same policy."),
                rule("AwsSolutions-COG2", "The portal's sign-in (USER_PASSWORD_AUTH, new-password challenge) "
                        + "has no MFA step yet; requiring MFA in the pool would lock every user out until it has."),
                rule("AwsSolutions-COG3", "Threat protection (advanced security) needs Cognito's Plus feature "
                        + "plan, priced per monthly active user; it is the deploying company's choice, made on the "
                        + "user pool, not a default of the product."));

        // ---- First administrator ----------------------------------------------------------------
        suppress(stack.getBootstrapSecret(), false, rule("AwsSolutions-SMG4", "A one-time token: it is "
                + "used once, to create the first administrator, and is worthless afterwards; rotating it would "
                + "only invalidate it before that administrator has used it."));
        suppress(stack.firstAdministrator().provider, true,
                rule("AwsSolutions-L1", "CDK's custom resource provider framework function; CDK chooses and "
                        + "updates its Node.js runtime."),
                rule("AwsSolutions-IAM4", "The provider framework function's role, made by CDK, logs with the AWS "
                        + "managed basic execution policy.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                rule("AwsSolutions-IAM5", "The provider invokes the bootstrap function's versions and aliases "
                        + "(<function ARN>:*, CDK's grant).",
                        "Resource::<" + logicalId(stack.getBootstrapFunction()) + ".Arn>:*"));

        // ---- Portal ------------------------------------------------------------------------------
        suppress(stack.getDistribution(), false,
                rule("AwsSolutions-CFR1", "Atelier is used by a company's people wherever they work; which "
                        + "countries to block is the company's decision, not the product's."),
                rule("AwsSolutions-CFR2", "A WAF web ACL for CloudFront must live in us-east-1 while the stack "
                        + "deploys into the company's region, and is priced per ACL, rule and request; the API "
                        + "authenticates and validates every request itself. A company attaches its own web ACL."),
                rule("AwsSolutions-CFR4", "The portal is served on its *.cloudfront.net address with CloudFront's "
                        + "default certificate, whose security policy CloudFront fixes; a company putting the portal "
                        + "on its own domain sets TLSv1.2_2021 with its certificate."));
        List<IConstruct> deploymentFunctions = new ArrayList<>();
        stack.getNode().getChildren().stream()
                .filter(child -> child.getNode().getId().startsWith("Custom::CDKBucketDeployment"))
                .forEach(deploymentFunctions::add);
        suppress(deploymentFunctions, true,
                rule("AwsSolutions-L1", "CDK's BucketDeployment function (uploads the portal site); CDK chooses "
                        + "and updates its runtime."),
                rule("AwsSolutions-IAM4", "CDK's BucketDeployment function role logs with the AWS managed basic "
                        + "execution policy.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                rule("AwsSolutions-IAM5", "CDK's BucketDeployment grants: read the site's asset from the CDK "
                        + "assets bucket, replace the objects of the site bucket, and create the CloudFront "
                        + "invalidation (which has no resource-level permissions).",
                        "Action::s3:Abort*", "Action::s3:DeleteObject*", "Action::s3:GetBucket*",
                        "Action::s3:GetObject*", "Action::s3:List*", "Resource::*",
                        "Resource::<" + logicalId(stack.getSiteBucket()) + ".Arn>/*",
                        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*"));

        addWorkstations(stack, builds, keyGrant, tableIndexes);
    }

    private static void addWorkstations(AtelierStack stack, BuildWorkflow builds, NagPackSuppression keyGrant,
                                        NagPackSuppression tableIndexes) {
        Workstations workstations = stack.getWorkstations();
        String ec2 = "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:";
        NagPackSuppression metricNamespace = rule("AwsSolutions-IAM5", "cloudwatch:PutMetricData has no "
                + "resource-level permissions (IAM accepts only \"*\"); the statement's condition limits it to the "
                + "Atelier/Workstations namespace (cloudwatch:namespace).", "Resource::*");

        suppress(workstations.getWorkerFunction(), false, rule("AwsSolutions-L1", "The application is compiled for "
                + "Java 17 (release 17) and its whole test suite runs on Java 17; java17 is a supported Lambda runtime. "
                + "The runtime moves together with the application's own Java version, not ahead of it."));
        suppress(workstations.getWorkerFunction().getRole(), true, keyGrant, tableIndexes,
                rule("AwsSolutions-IAM5", "Launching a workstation: EC2 checks RunInstances on the AMI (images are "
                        + "built per definition version, their ids are not known when deploying) and on the network "
                        + "interface it creates; the subnets and security groups are named one by one.",
                        "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>::image/*", ec2 + "network-interface/*"),
                rule("AwsSolutions-IAM5", "Workstation instances and volumes are created at run time, so their ids "
                        + "are not known when deploying: every statement on instance/* and volume/* requires the "
                        + "atelier:workspace tag, on the request when creating (aws:RequestTag) and on the resource "
                        + "otherwise (aws:ResourceTag); CreateTags only as part of RunInstances or CreateVolume.",
                        ec2 + "instance/*", ec2 + "volume/*"),
                rule("AwsSolutions-IAM5", "Idle alarms are created per workstation, named atelier-ws-<workstation>; "
                        + "the wildcard is that prefix in this account and region, and PutMetricAlarm may set no "
                        + "action but EC2's stop (cloudwatch:AlarmActions).",
                        "Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:atelier-ws-*"),
                rule("AwsSolutions-IAM5", "ec2:DescribeInstances, DescribeVolumes, DescribeInstanceTypes and "
                        + "DescribeImages have no resource-level permissions, nor has cloudwatch:PutMetricData (limited "
                        + "by its condition to the Atelier/Workstations namespace): IAM accepts only \"*\".", "Resource::*"),
                rule("AwsSolutions-IAM5", "Deleting a workspace has the worker deregister its builds' AMIs: AMI ids "
                        + "are made by each build, so the resource is every image of the distribution regions, and the "
                        + "statement's condition limits it to AMIs carrying the atelier:workspace build tag.",
                        ec2Resources(builds, "image")),
                rule("AwsSolutions-IAM5", "Deleting a workspace has the worker delete the snapshots behind its builds' "
                        + "AMIs: snapshot ids are made by each build, and Image Builder does not promise to copy the "
                        + "AMI's tags onto them, so no tag condition can hold; scoped to the distribution regions, "
                        + "and a snapshot ARN has no account (EC2 lets the account delete its own snapshots only).",
                        ec2Resources(builds, "snapshot")),
                rule("AwsSolutions-IAM5", "Working-hours schedules are made per workspace schedule at run time "
                        + "(ws-<workspace>.<hash>), so their names are not known when deploying: the wildcard is every "
                        + "schedule of the stack's own schedule group, and nothing else.",
                        "Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/"
                                + "<WorkstationScheduleGroup>/*"));
        suppress(stack.getApiFunction().getRole(), true,
                rule("AwsSolutions-IAM5", "cloudwatch:GetMetricData (a workstation's metrics) has no resource-level "
                        + "permissions, nor has cloudwatch:PutMetricData (limited by its condition to the "
                        + "Atelier/Workstations namespace): IAM accepts only \"*\".", "Resource::*"),
                rule("AwsSolutions-IAM5", "Connecting starts a port-forwarding session to one workstation, whose "
                        + "instance id is known at run time only: ssm:StartSession on instance/* requires the "
                        + "atelier:workspace tag on the instance (ssm:resourceTag) and the AWS-StartPortForwardingSession "
                        + "document; ssm:TerminateSession on session/* only for sessions the function started "
                        + "(the session id carries the caller's user id).",
                        ec2 + "instance/*",
                        "Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:session/*"));
        suppress(workstations.getInstanceRole(), true,
                rule("AwsSolutions-IAM4", "AmazonSSMManagedInstanceCore is the policy Systems Manager documents for "
                        + "its agent on managed instances (Session Manager port forwarding is the only way in); AWS keeps "
                        + "it in step with the agent.",
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"),
                metricNamespace);
    }

    /** cdk-nag's rendering of {@code arn:…:ec2:<region>::<type>/*} for each distribution region. */
    private static String[] ec2Resources(BuildWorkflow builds, String type) {
        return builds.distributionRegions().stream()
                .map(region -> Token.isUnresolved(region) ? "<AWS::Region>" : region)
                .map(region -> "Resource::arn:<AWS::Partition>:ec2:" + region + "::" + type + "/*")
                .toArray(String[]::new);
    }

    private static NagPackSuppression rule(String id, String reason, String... appliesTo) {
        NagPackSuppression.Builder builder = NagPackSuppression.builder().id(id).reason(reason);
        if (appliesTo.length > 0) {
            builder.appliesTo(List.of(appliesTo));
        }
        return builder.build();
    }

    private static void suppress(Object construct, boolean applyToChildren, NagPackSuppression... suppressions) {
        NagSuppressions.addResourceSuppressions(construct, List.of(suppressions), applyToChildren);
    }

    private static String logicalId(IConstruct construct) {
        IConstruct element = construct instanceof CfnElement ? construct : construct.getNode().getDefaultChild();
        return ((CfnElement) element).getStack().getLogicalId((CfnElement) element);
    }
}
