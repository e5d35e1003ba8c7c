using Lamina;
using Shop;

// The reference stack: the five reference architectures of examples/ (api, cron, fanout, uploads, workflow) composed
// in one stack; see ShopStack.cs. The root Pulumi.yaml runs this program as the YAML runtime's compiler.
return LaminaApp.Run(args, app => ShopStack.Define(app));
