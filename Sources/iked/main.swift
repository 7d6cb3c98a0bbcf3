print("iked")
