namespace Lamina.Aws.Tests.Api;

/// <summary>The payload format decides the event type: the compiler accepts only matching handlers.</summary>
public class TypedWiringTests
{
    private const string Handlers = """
        using Lamina.Aws.Api;

        public sealed class SqsHandlerClass : ISqsHandler
        {
            public Task<SqsBatchResponse> HandleAsync(SqsEvent input, ILambdaContext context) => Task.FromResult(SqsBatchResponse.Success());
        }

        public sealed class HttpHandlerClass : IHttpApiHandler
        {
            public Task<HttpApiResponse> HandleAsync(HttpApiRequest input, ILambdaContext context) => Task.FromResult(HttpApiResponse.Text(200, "ok"));
        }

        public sealed class RestHandlerClass : IRestApiHandler
        {
            public Task<RestApiResponse> HandleAsync(RestApiRequest input, ILambdaContext context) => Task.FromResult(RestApiResponse.Text(200, "ok"));
        }

        """;

    private static string Snippet(string body) => Handlers + $$"""
        public static class Program
        {
            public static void Wire(Stack stack)
            {
                var api = new HttpApi(stack, "Api");
                var rest = new RestApi(stack, "Rest");
                {{body}}
            }
        }
        """;

    // CS0311: the handler class has no implicit reference conversion to the constraint (IHttpApiHandler / IRestApiHandler);
    // CS0315: the same for a struct (boxing conversion).
    private static readonly string[] ConstraintErrors = ["CS0311", "CS0315"];

    [Fact]
    public void An_http_api_handler_compiles_for_an_http_api_route()
    {
        CompileCheck.Compiles(Snippet("""api.AddRoute("GET /x", new Function<HttpHandlerClass>(stack, "Fn"));"""));
    }

    [Fact]
    public void An_sqs_handler_does_not_compile_for_an_http_api_route()
    {
        var errors = CompileCheck.FailsWith(Snippet("""api.AddRoute("GET /x", new Function<SqsHandlerClass>(stack, "Fn"));"""), ConstraintErrors);
        var message = Assert.Single(errors).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'SqsHandlerClass'", message);
        Assert.Contains("Lamina.Lambda.IHttpApiHandler", message);
    }

    [Fact]
    public void An_explicit_type_argument_reports_the_constraint_itself()
    {
        var errors = CompileCheck.FailsWith(Snippet("""api.AddRoute<SqsHandlerClass>("GET /x", new Function<SqsHandlerClass>(stack, "Fn"));"""), "CS0311");
        Assert.Contains(errors, e => e.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Lamina.Lambda.IHttpApiHandler"));
    }

    [Fact]
    public void Payload_1_0_routes_and_rest_apis_take_rest_api_handlers_only()
    {
        CompileCheck.Compiles(Snippet("""
            api.AddRouteV1("GET /v1", new Function<RestHandlerClass>(stack, "V1"));
            rest.AddRoute("GET", "/", new Function<RestHandlerClass>(stack, "Rest"));
            """));
        CompileCheck.FailsWith(Snippet("""api.AddRouteV1("GET /v1", new Function<HttpHandlerClass>(stack, "V1"));"""), ConstraintErrors);
        CompileCheck.FailsWith(Snippet("""rest.AddRoute("GET", "/", new Function<HttpHandlerClass>(stack, "Rest"));"""), ConstraintErrors);
        CompileCheck.FailsWith(Snippet("""api.AddRoute("GET /x", new Function<RestHandlerClass>(stack, "Fn"));"""), ConstraintErrors);
    }

    [Fact]
    public void Declared_event_functions_use_the_untyped_overload()
    {
        CompileCheck.Compiles(Snippet("""
            var py = new Function(stack, "Py", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.HttpApi });
            api.AddRoute("GET /py", py);
            FunctionBase behind = api.Function("GET /py");
            """));
    }
}
