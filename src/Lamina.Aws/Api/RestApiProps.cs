namespace Lamina.Aws.Api;

/// <summary>How callers of a REST API method are authorized.</summary>
public enum RestAuthorization
{
    /// <summary>Anyone may call the method (<c>authorization NONE</c>).</summary>
    None,
    /// <summary>Callers sign requests with AWS Signature Version 4 and need <c>execute-api:Invoke</c> (<c>AWS_IAM</c>).</summary>
    Iam,
}

/// <summary>Where a REST API's endpoint lives.</summary>
public enum RestApiEndpointType
{
    /// <summary>In the stack's region (<c>REGIONAL</c>, the default).</summary>
    Regional,
    /// <summary>Behind API Gateway's CloudFront distribution (<c>EDGE</c>).</summary>
    Edge,
}

/// <summary>Options of one REST API method.</summary>
public sealed record RestRouteOptions
{
    /// <summary>How callers are authorized. Default: the API's <see cref="RestApiProps.DefaultAuthorization"/>.</summary>
    public RestAuthorization? Authorization { get; init; }
}

/// <summary>Callbacks that adjust a REST API's underlying resources before synthesis (an escape hatch).</summary>
public sealed record RestApiTransforms
{
    /// <summary>Adjusts the <c>aws:apigateway:RestApi</c> arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGateway.RestApiArgs>? RestApi { get; init; }

    /// <summary>Adjusts the deployment's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGateway.DeploymentArgs>? Deployment { get; init; }

    /// <summary>Adjusts the stage's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGateway.StageArgs>? Stage { get; init; }

    /// <summary>Adjusts every method's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGateway.MethodArgs>? Method { get; init; }

    /// <summary>Adjusts every integration's arguments.</summary>
    public Action<Lamina.Aws.Resources.ApiGateway.IntegrationArgs>? Integration { get; init; }
}

/// <summary>Options of a <see cref="RestApi"/>. Every option is validated at construction.</summary>
public sealed record RestApiProps
{
    /// <summary>The API's name (1-1,024 characters). Default: <c>&lt;project&gt;-&lt;stack&gt;-&lt;construct path&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>A description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The stage name (1-128 letters, digits, '-' and '_'); it is the first segment of every URL path. Default: <c>Prod</c>
    /// (as in the seed note's sample event, whose <c>requestContext.path</c> is <c>/Prod/</c>, and as AWS SAM names its stage).
    /// </summary>
    public string StageName { get; init; } = "Prod";

    /// <summary>The endpoint type. Default: <see cref="RestApiEndpointType.Regional"/>.</summary>
    public RestApiEndpointType EndpointType { get; init; } = RestApiEndpointType.Regional;

    /// <summary>The authorization of methods that do not set one. Default: <see cref="RestAuthorization.None"/>.</summary>
    public RestAuthorization DefaultAuthorization { get; init; } = RestAuthorization.None;

    /// <summary>Whether the API's URL (the stage's invoke URL) is added as a stack output. Default: true.</summary>
    public bool UrlOutput { get; init; } = true;

    /// <summary>The name of that stack output. Default: <c>&lt;construct id&gt;Url</c> (an API with id <c>Api</c> adds <c>ApiUrl</c>).</summary>
    public string? UrlOutputName { get; init; }

    /// <summary>Adjusts the underlying resources before synthesis. Default: none.</summary>
    public RestApiTransforms? Transform { get; init; }
}
