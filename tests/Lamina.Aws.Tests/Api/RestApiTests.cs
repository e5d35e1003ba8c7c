using Lamina.Aws.Api;
using Lamina.Aws.Lambda;
using Lamina.Testing;
using Lamina.Tests.Shared;
using D = System.Collections.Generic.Dictionary<string, object?>;

namespace Lamina.Aws.Tests.Api;

public class RestApiTests
{
    [Fact]
    public void Creates_nested_resources_methods_proxy_integrations_deployment_stage_and_url()
    {
        var stack = TestStacks.Create();
        var fn = new Function<LegacyItem>(stack, "Items");
        var api = new RestApi(stack, "Api");
        api.AddRoute("GET", "/items/{id}", fn);
        api.AddRoute("GET", "/", fn);

        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigateway:RestApi", Match.ObjectEquals(new D
        {
            ["endpointConfiguration"] = new D { ["types"] = "REGIONAL" },
            ["name"] = "shop-dev-Api",
        }));
        t.ResourceCountIs("aws:apigateway:Resource", 2);
        t.HasResourceProperties("aws:apigateway:Resource", Match.ObjectEquals(new D { ["parentId"] = "${Api.rootResourceId}", ["pathPart"] = "items", ["restApi"] = "${Api.id}" }));
        t.HasResourceProperties("aws:apigateway:Resource", Match.ObjectEquals(new D { ["parentId"] = "${Api-Resources-items.id}", ["pathPart"] = "{id}", ["restApi"] = "${Api.id}" }));
        t.HasResourceProperties("aws:apigateway:Method", Match.ObjectEquals(new D
        {
            ["authorization"] = "NONE",
            ["httpMethod"] = "GET",
            ["resourceId"] = "${Api-Resources-items-id.id}",
            ["restApi"] = "${Api.id}",
        }));
        t.HasResourceProperties("aws:apigateway:Method", new D { ["resourceId"] = "${Api.rootResourceId}" });
        t.HasResourceProperties("aws:apigateway:Integration", Match.ObjectEquals(new D
        {
            ["httpMethod"] = "${Api-Routes-GET-items-id.httpMethod}",
            ["integrationHttpMethod"] = "POST",
            ["resourceId"] = "${Api-Resources-items-id.id}",
            ["restApi"] = "${Api.id}",
            ["type"] = "AWS_PROXY",
            ["uri"] = "${Items.invokeArn}",
        }));
        t.HasResourceProperties("aws:lambda:Permission", Match.ObjectEquals(new D
        {
            ["action"] = "lambda:InvokeFunction",
            ["function"] = "${Items.name}",
            ["principal"] = "apigateway.amazonaws.com",
            ["sourceArn"] = "${Api.executionArn}/*/GET/items/{id}",
        }));
        t.HasResourceProperties("aws:lambda:Permission", new D { ["sourceArn"] = "${Api.executionArn}/*/GET/" });
        t.HasResourceProperties("aws:apigateway:Stage", Match.ObjectEquals(new D
        {
            ["deployment"] = "${Api-Deployment.id}",
            ["restApi"] = "${Api.id}",
            ["stageName"] = "Prod",
        }));
        t.HasOutput("ApiUrl", "${Api-Stage.invokeUrl}");
        Assert.Same(fn, api.Function("GET", "/items/{id}"));
        Assert.Same(fn, api.Function("GET /"));
        Assert.Equal(["/items", "/items/{id}"], api.PathResources.Keys.Order(StringComparer.Ordinal));

        var check = CheckPulumiYaml.Check(stack.Synth().Yaml);
        Assert.True(check.Errors == 0 && check.BroadWildcards == 0, check.Output);
    }

    [Fact]
    public void The_deployment_depends_on_every_method_and_integration()
    {
        var stack = TestStacks.Create();
        var api = new RestApi(stack, "Api");
        api.AddRoute("GET", "/a", new Function<LegacyItem>(stack, "A"));
        api.AddRoute("POST", "/b/{id}", new Function<LegacyItem>(stack, "B"));
        var deployment = Template.From(stack).FindResources("aws:apigateway:Deployment")["Api-Deployment"];
        var dependsOn = deployment["options"]!["dependsOn"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Equal(["${Api-Routes-GET-a}", "${Api-Routes-GET-a-Integration}", "${Api-Routes-POST-b-id}", "${Api-Routes-POST-b-id-Integration}"], dependsOn);
        Assert.Equal("${Api.id}", deployment["properties"]!["restApi"]!.GetValue<string>());
    }

    [Fact]
    public void The_redeployment_trigger_changes_with_the_route_set_only()
    {
        static string Trigger(params (string Method, string Path)[] routes)
        {
            var stack = TestStacks.Create();
            var api = new RestApi(stack, "Api");
            var fn = new Function<LegacyItem>(stack, "Fn");
            foreach (var (m, p) in routes)
            {
                api.AddRoute(m, p, fn);
            }
            var triggers = Template.From(stack).FindResources("aws:apigateway:Deployment")["Api-Deployment"]["properties"]!["triggers"]!;
            return triggers["redeployment"]!.GetValue<string>();
        }

        var one = Trigger(("GET", "/a"));
        Assert.Matches("^[0-9a-f]{32}$", one);
        Assert.Equal(one, Trigger(("GET", "/a")));
        Assert.NotEqual(one, Trigger(("GET", "/a"), ("POST", "/a")));
        Assert.NotEqual(one, Trigger(("GET", "/b")));
        Assert.Equal(Trigger(("GET", "/a"), ("POST", "/b")), Trigger(("POST", "/b"), ("GET", "/a")));
    }

    [Fact]
    public void Greedy_proxy_any_and_iam_methods()
    {
        var stack = TestStacks.Create();
        var api = new RestApi(stack, "Api", new() { StageName = "live", EndpointType = RestApiEndpointType.Edge });
        api.AddRoute("ANY", "/{proxy+}", new Function<LegacyItem>(stack, "Proxy"));
        api.AddRoute("POST", "/admin", new Function<LegacyItem>(stack, "Admin"), new() { Authorization = RestAuthorization.Iam });
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigateway:Resource", new D { ["parentId"] = "${Api.rootResourceId}", ["pathPart"] = "{proxy+}" });
        t.HasResourceProperties("aws:apigateway:Method", new D { ["httpMethod"] = "ANY", ["authorization"] = "NONE", ["resourceId"] = "${Api-Resources-proxy.id}" });
        t.HasResourceProperties("aws:apigateway:Method", new D { ["httpMethod"] = "POST", ["authorization"] = "AWS_IAM" });
        t.HasResourceProperties("aws:lambda:Permission", new D { ["function"] = "${Proxy.name}", ["sourceArn"] = "${Api.executionArn}/*/*/{proxy+}" });
        t.HasResourceProperties("aws:lambda:Permission", new D { ["function"] = "${Admin.name}", ["sourceArn"] = "${Api.executionArn}/*/POST/admin" });
        t.HasResourceProperties("aws:apigateway:Stage", new D { ["stageName"] = "live" });
        t.HasResourceProperties("aws:apigateway:RestApi", new D { ["endpointConfiguration"] = new D { ["types"] = "EDGE" } });
    }

    [Fact]
    public void Declared_event_functions_must_handle_rest_api_events()
    {
        var stack = TestStacks.Create();
        var api = new RestApi(stack, "Api");
        api.AddRoute("GET", "/ok", new Function(stack, "Ok", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.RestApi }));
        api.AddRoute("GET", "/bad", new Function(stack, "Bad", new CodeFunctionProps { Code = "x", Runtime = Runtime.Python313, Handler = "a.b", Handles = EventSources.HttpApi }));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Api", error.Path);
        Assert.Contains("shop/Bad", error.Message);
        Assert.Contains("RestApi", error.Message);
    }

    [Theory]
    [InlineData("get", "/x", "method 'get' is not one of")]
    [InlineData("GET", "x", "does not start with '/'")]
    [InlineData("GET", "/{proxy+}/x", "is not the last segment")]
    [InlineData("GET", "/a/", "ends with '/'")]
    [InlineData("GET", "/{id}/{id}", "appears twice")]
    public void Invalid_methods_and_paths_are_errors_naming_the_route(string method, string path, string reason)
    {
        var stack = TestStacks.Create();
        new RestApi(stack, "Api").AddRoute(method, path, new Function<LegacyItem>(stack, "Fn"));
        var errors = TestStacks.SynthFails(stack).Errors;
        var error = Assert.Single(errors, e => e.Property == "routeKey");
        Assert.Equal("shop/Api", error.Path);
        Assert.Contains($"route '{method} {path}' is invalid", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Contains("GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, ANY", error.Message);
    }

    [Fact]
    public void Duplicates_and_sibling_parameters_are_errors()
    {
        var stack = TestStacks.Create();
        var api = new RestApi(stack, "Api");
        api.AddRoute("GET", "/orders/{id}", new Function<LegacyItem>(stack, "A"));
        api.AddRoute("GET", "/orders/{id}", new Function<LegacyItem>(stack, "B"));
        api.AddRoute("DELETE", "/orders/{orderId}/items", new Function<LegacyItem>(stack, "C"));
        api.AddRoute("GET", "/orders/{id}/items", new Function<LegacyItem>(stack, "D"));
        var errors = TestStacks.SynthFails(stack).Errors;
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(("shop/Api", "routeKey"), (e.Path, e.Property)));
        Assert.Contains(errors, e => e.Message.Contains("'GET /orders/{id}' is added twice"));
        Assert.Contains(errors, e => e.Message.Contains("'DELETE /orders/{orderId}/items' conflicts with the existing path segment '{id}' under '/orders'"));
    }

    [Fact]
    public void An_api_without_methods_is_an_error_because_it_cannot_be_deployed()
    {
        var stack = TestStacks.Create();
        new RestApi(stack, "Api");
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal("shop/Api", error.Path);
        Assert.Contains("no methods", error.Message);
    }

    [Fact]
    public void Invalid_stage_name_is_an_error()
    {
        var stack = TestStacks.Create();
        new RestApi(stack, "Api", new() { StageName = "prod stage" }).AddRoute("GET", "/", new Function<LegacyItem>(stack, "Fn"));
        var error = Assert.Single(TestStacks.SynthFails(stack).Errors);
        Assert.Equal(("shop/Api", "StageName"), (error.Path, error.Property));
        Assert.Contains("1-128 letters, digits, '-' and '_'", error.Message);
    }

    [Fact]
    public void A_function_timeout_over_29_seconds_is_a_warning()
    {
        var stack = TestStacks.Create();
        var api = new RestApi(stack, "Api");
        api.AddRoute("GET", "/slow", new Function<LegacyItem>(stack, "Slow", new() { Timeout = TimeSpan.FromSeconds(30) }));
        api.AddRoute("GET", "/fast", new Function<LegacyItem>(stack, "Fast", new() { Timeout = TimeSpan.FromSeconds(29) }));
        var warning = Assert.Single(Template.From(stack).Warnings);
        Assert.Equal("shop/Api", warning.Path);
        Assert.Contains("shop/Slow", warning.Message);
        Assert.Contains("29 s", warning.Message);
        Assert.Contains("limits.html", warning.Message);
    }

    [Fact]
    public void Transforms_and_url_opt_out()
    {
        var stack = TestStacks.Create();
        new RestApi(stack, "Api", new()
        {
            UrlOutput = false,
            Transform = new() { Integration = i => i.TimeoutMilliseconds = 5000, Stage = s => s.XrayTracingEnabled = true },
        }).AddRoute("GET", "/", new Function<LegacyItem>(stack, "Fn"));
        var t = Template.From(stack);
        t.HasResourceProperties("aws:apigateway:Integration", new D { ["timeoutMilliseconds"] = 5000 });
        t.HasResourceProperties("aws:apigateway:Stage", new D { ["xrayTracingEnabled"] = true });
        Assert.Empty(t.FindOutputs());
    }
}
