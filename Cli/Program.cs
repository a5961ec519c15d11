Console.WriteLine("autograd");
