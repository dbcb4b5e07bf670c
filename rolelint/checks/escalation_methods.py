"""The privilege escalation methods RL206 knows, by name: IAM actions on any role, user,
group or policy, service actions that take over whatever role a resource runs with, and the
iam:PassRole combinations that run code with a passed role; with what each lets a holder do,
to any of them or to itself.

Tables only, so that the tests, the docs and every module judging them read one list: which
methods a grant allows is escalation_grants' question, and self_escalation's on the holder
itself; the findings are escalation's (RL206).
"""

from __future__ import annotations

# Privilege escalation methods (RL206): action -> (IAM resource type it acts on, method).
ESCALATIONS: dict[str, tuple[str, str]] = {
    "iam:PassRole": ("role", "pass any role to a service and act with its permissions"),
    "iam:CreatePolicyVersion": ("policy", "rewrite a managed policy it holds"),
    "iam:SetDefaultPolicyVersion": ("policy", "switch a policy to a more permissive version"),
    "iam:CreateAccessKey": ("user", "create access keys for any user"),
    "iam:CreateLoginProfile": ("user", "set a console password for any user"),
    "iam:UpdateLoginProfile": ("user", "reset any user's console password"),
    "iam:AttachUserPolicy": ("user", "attach any managed policy to a user"),
    "iam:AttachGroupPolicy": ("group", "attach any managed policy to a group"),
    "iam:AttachRolePolicy": ("role", "attach any managed policy to a role"),
    "iam:PutUserPolicy": ("user", "write an inline policy on a user"),
    "iam:PutGroupPolicy": ("group", "write an inline policy on a group"),
    "iam:PutRolePolicy": ("role", "write an inline policy on a role"),
    "iam:UpdateAssumeRolePolicy": ("role", "rewrite who may assume a role"),
    "iam:AddUserToGroup": ("group", "join any group"),
    # A permissions boundary caps a holder only while it stays: one allowed to remove or
    # replace its own is capped by nothing (the API reference of DeleteRolePermissionsBoundary:
    # "might allow anyone who assumes the role to perform all the actions granted in its
    # permissions policies").
    "iam:DeleteRolePermissionsBoundary": (
        "role",
        "remove the permissions boundary of any role, its own included, and act with all "
        "that role's policies allow",
    ),
    "iam:PutRolePermissionsBoundary": (
        "role",
        "replace the permissions boundary of any role, its own included, with one that allows more",
    ),
    "iam:DeleteUserPermissionsBoundary": (
        "user",
        "remove the permissions boundary of any user, its own included, and act with all "
        "that user's policies allow",
    ),
    "iam:PutUserPermissionsBoundary": (
        "user",
        "replace the permissions boundary of any user, its own included, with one that allows more",
    ),
}
PASS_ROLE = "iam:PassRole"

# Escalation outside IAM: one action on every resource of its kind takes over whatever role the
# resource runs with (the published lists: Rhino Security Labs, iam-vulnerable).
SERVICE_ESCALATIONS: dict[str, str] = {
    "lambda:UpdateFunctionCode": "replace the code of any Lambda function and run as its role",
    "glue:UpdateDevEndpoint": "add an SSH key to any Glue development endpoint and use its role",
    "sagemaker:CreatePresignedNotebookInstanceUrl": (
        "open any SageMaker notebook instance and use its role"
    ),
    "ssm:SendCommand": "run commands on any managed instance and use its instance role",
    "ssm:StartSession": "open a shell on any managed instance and use its instance role",
    "ec2-instance-connect:SendSSHPublicKey": (
        "log in to any EC2 instance and use its instance role"
    ),
}
# iam:PassRole combined with service actions that run code with the passed role: the published
# escalation methods, by name, with the service the role is passed to (what
# ``iam:PassedToService`` must admit) and the actions each needs besides iam:PassRole.
_PASS_ROLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "a new EC2 instance (ec2:RunInstances)": ("ec2.amazonaws.com", ("ec2:RunInstances",)),
    "a new Lambda function invoked directly": (
        "lambda.amazonaws.com",
        ("lambda:CreateFunction", "lambda:InvokeFunction"),
    ),
    "a new Lambda function triggered by an event source": (
        "lambda.amazonaws.com",
        ("lambda:CreateFunction", "lambda:CreateEventSourceMapping"),
    ),
    "a CloudFormation stack (cloudformation:CreateStack)": (
        "cloudformation.amazonaws.com",
        ("cloudformation:CreateStack",),
    ),
    "a Glue development endpoint (glue:CreateDevEndpoint)": (
        "glue.amazonaws.com",
        ("glue:CreateDevEndpoint",),
    ),
    "a Data Pipeline": (
        "datapipeline.amazonaws.com",
        ("datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"),
    ),
    "a SageMaker notebook instance": (
        "sagemaker.amazonaws.com",
        ("sagemaker:CreateNotebookInstance",),
    ),
    "a SageMaker training job": ("sagemaker.amazonaws.com", ("sagemaker:CreateTrainingJob",)),
    "a SageMaker processing job": ("sagemaker.amazonaws.com", ("sagemaker:CreateProcessingJob",)),
    "a CodeStar project (a service AWS retired in 2024)": (
        "codestar.amazonaws.com",
        ("codestar:CreateProject",),
    ),
    "an ECS task": ("ecs-tasks.amazonaws.com", ("ecs:RegisterTaskDefinition", "ecs:RunTask")),
    "a CodeBuild project": (
        "codebuild.amazonaws.com",
        ("codebuild:CreateProject", "codebuild:StartBuild"),
    ),
    "a Spot instance (ec2:RequestSpotInstances)": (
        "ec2.amazonaws.com",
        ("ec2:RequestSpotInstances",),
    ),
    "an Auto Scaling group with a new launch configuration": (
        "ec2.amazonaws.com",
        ("autoscaling:CreateLaunchConfiguration", "autoscaling:CreateAutoScalingGroup"),
    ),
    "an Auto Scaling group with a new launch template": (
        "ec2.amazonaws.com",
        ("ec2:CreateLaunchTemplate", "autoscaling:CreateAutoScalingGroup"),
    ),
    "a Glue job": ("glue.amazonaws.com", ("glue:CreateJob", "glue:StartJobRun")),
    "a Step Functions state machine": (
        "states.amazonaws.com",
        ("states:CreateStateMachine", "states:StartExecution"),
    ),
    "an App Runner service (apprunner:CreateService)": (
        "tasks.apprunner.amazonaws.com",
        ("apprunner:CreateService",),
    ),
    "an existing CloudFormation stack (cloudformation:UpdateStack)": (
        "cloudformation.amazonaws.com",
        ("cloudformation:UpdateStack",),
    ),
    "a CloudFormation change set": (
        "cloudformation.amazonaws.com",
        ("cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"),
    ),
    "an ECS service": (
        "ecs-tasks.amazonaws.com",
        ("ecs:RegisterTaskDefinition", "ecs:CreateService"),
    ),
    "an ECS task started on a chosen instance": (
        "ecs-tasks.amazonaws.com",
        ("ecs:RegisterTaskDefinition", "ecs:StartTask"),
    ),
}
PASS_ROLE_METHODS = {method: needed for method, (_, needed) in _PASS_ROLE.items()}
PASS_ROLE_SERVICE = {method: service for method, (service, _) in _PASS_ROLE.items()}

# The launch actions of those methods whose requests name what they pass in a condition key of
# their own, by AWS's service authorization reference: cloudformation:RoleArn, the service role
# a stack request gives CloudFormation, and ec2:InstanceProfile, the instance profile (holding
# the role) an instance is launched with; with the kind of IAM resource each names.  An Allow
# testing the key lets a request pass only what its values name (a pipeline allowed
# CreateStack only with its approved role cannot hand CloudFormation any other).  No other
# action of PASS_ROLE_METHODS is known to carry a key naming the role it passes: the reference
# lists codebuild:serviceRole for CreateProject and StartBuild, but does not say what a
# StartBuild request that keeps the project's role carries in it, so CodeBuild is left out.
PASSED_IN: dict[str, tuple[str, str]] = {
    "ec2:RunInstances": ("ec2:InstanceProfile", "instance-profile"),
    "cloudformation:CreateStack": ("cloudformation:RoleArn", "role"),
    "cloudformation:UpdateStack": ("cloudformation:RoleArn", "role"),
    "cloudformation:CreateChangeSet": ("cloudformation:RoleArn", "role"),
}


# The escalation methods whose requests carry iam:PolicyARN, the managed policy attached (AWS's
# service authorization reference lists the key for these and the Detach actions alone).
ATTACH_METHODS = ("iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:AttachRolePolicy")
# The escalation methods that set the boundary iam:PermissionsBoundary names, rather than act
# on a holder that has it; and those that remove it, which lift whatever boundary it names.
SETS_BOUNDARY = ("iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")
REMOVES_BOUNDARY = ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary")


# What each method lets a holder do to itself when its resource names the holder's own ARN (for
# the policy-version methods, the ARN of a customer managed policy the holder holds): the same
# escalation as on every role, user or policy, on the one that matters; for the group methods,
# the ARN of a group the holder (a user) is certainly in, whose policies it holds.
# iam:CreateAccessKey and iam:CreateLoginProfile on itself give the holder nothing it has not;
# iam:UpdateAssumeRolePolicy on itself changes who may assume it, not what it may do.
ON_ITSELF: dict[str, str] = {
    "iam:CreatePolicyVersion": "rewrite that policy to allow it anything",
    "iam:SetDefaultPolicyVersion": "switch that policy to a more permissive version",
    "iam:AttachUserPolicy": "attach itself any managed policy",
    "iam:AttachGroupPolicy": "attach itself any managed policy",
    "iam:AttachRolePolicy": "attach itself any managed policy",
    "iam:PutUserPolicy": "write itself any policy",
    "iam:PutGroupPolicy": "write itself any policy",
    "iam:PutRolePolicy": "write itself any policy",
    "iam:DeleteRolePermissionsBoundary": (
        "remove its own permissions boundary and act with all its policies allow"
    ),
    "iam:PutRolePermissionsBoundary": (
        "replace its own permissions boundary with one that allows more"
    ),
    "iam:DeleteUserPermissionsBoundary": (
        "remove its own permissions boundary and act with all its policies allow"
    ),
    "iam:PutUserPermissionsBoundary": (
        "replace its own permissions boundary with one that allows more"
    ),
}
