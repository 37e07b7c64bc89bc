using OnTrackio.Cli;

return await OperatorCli.RunAsync(args, Console.Out, Console.Error, Console.In);
