print("ikectl")
