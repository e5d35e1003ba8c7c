return Lamina.Cli.LaminaCli.Run(args);
